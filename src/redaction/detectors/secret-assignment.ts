import { P_KEYWORD } from '../text-profile.js';
import { isWordCode, type Detector, type MatchSink } from './detector.js';
import { isPlaceholder } from './placeholder.js';

/**
 * Key words that name a secret. Found case-insensitively; the key must END at the word
 * (`password=`, `db_password:`, `"apiKey":`), so `password_hash=`, `tokens: 12`, `secretName:` stay.
 */
const KEYWORD = /pass(?:word|wd|phrase)?|pwd|(?:secret|encryption|signing|master)[_-]?key|secret|api[_-]?key|access[_-]?key|private[_-]?key|token|auth/gi;
/** After the key: an optional closing quote, then `=`, `:`, `:=` or `=>` (spaces and tabs around). */
const SEPARATOR = /["']?([ \t]*)(:=|=>|=(?!=)|:(?!:))([ \t]*)/y;
/** `--password hunter2`: a CLI flag takes its value after whitespace. */
const FLAG_SEPARATOR = /[ \t]+/y;
const DOUBLE_QUOTED = /"((?:[^"\\\n]|\\.)*)"/y;
const SINGLE_QUOTED = /'([^'\n]*)'/y;
/** An unquoted value after `=`: up to whitespace or a delimiter of query strings, DSNs, lists. */
const BARE_EQ = /[^\s;&,"'<>(){}[\]]+/y;
/** An unquoted value after `:`: the rest of the line (YAML), without a trailing comment. */
const REST_OF_LINE = /[^\r\n]{0,512}/y;

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * The keyword starts a key: at an identifier start, after `_ . -`, at a camelCase hump, or glued
 * when the keyword is long enough not to be part of an ordinary word (`PGPASSWORD`, `mysecret`;
 * but not `compass`, `oauth`).
 */
function keyStartsOk(text: string, at: number, length: number): boolean {
  if (at === 0 || length >= 6) return true;
  const prev = text.charCodeAt(at - 1);
  if (!isWordCode(prev)) return true;
  if (prev === 95) return true;
  return isUpper(text.charCodeAt(at)) && prev >= 97 && prev <= 122;
}

/**
 * One-word values that describe a setting instead of being one: `password: required`,
 * `token: expired`, `auth: basic` (an auth method), `secret: yes`.
 */
const NOT_A_SECRET = new Set([
  'ok', 'done', 'required', 'optional', 'yes', 'no', 'n/a', 'na', 'unset', 'empty', 'missing', 'invalid', 'expired', 'hidden', 'redacted',
  'masked', 'set', 'changed', 'updated', 'reset', 'enabled', 'disabled', 'valid', 'rotated', 'revoked', 'basic', 'bearer', 'oauth', 'oauth2',
  'digest', 'ntlm', 'kerberos', 'ldap', 'saml', 'jwt', 'apikey', 'token', 'secret', 'password', 'plain', 'md5', 'sha256', 'bcrypt', 'scram-sha-256',
  'trust', 'peer', 'ident', 'cert', 'mtls', 'anonymous', 'default',
]);

/** Start of the whole key token (`DB_PASSWORD`, `--api-key`, `spring.datasource.password`). */
function keyTokenStart(text: string, at: number): number {
  let i = at;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (isWordCode(c) || c === 45 || c === 46) i--;
    else break;
  }
  return i;
}

interface ValueSpan {
  start: number;
  end: number;
}

/** `getpass()`, `os.environ["X"]`, `config.db.password`: code that computes the secret, not the secret. */
function looksLikeCode(value: string, next: string | undefined): boolean {
  return next === '(' || next === '[' || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value);
}

function readValue(text: string, from: number, separator: string): ValueSpan | undefined {
  const q = text[from];
  if (q === '"' || q === "'") {
    const re = q === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED;
    re.lastIndex = from;
    const m = re.exec(text);
    return m ? { start: from + 1, end: from + 1 + m[1]!.length } : undefined;
  }
  if (separator === ':') {
    // YAML / prose: one token that ends the line or the clause ("password: must be 12 chars" is prose)
    REST_OF_LINE.lastIndex = from;
    const line = REST_OF_LINE.exec(text)![0];
    const token = /^[^\s,;}\]]+/.exec(line)?.[0] ?? '';
    const rest = line.slice(token.length);
    if (token.length === 0 || !/^(?:\s*|\s+#.*|[,;}\]].*)$/.test(rest)) return undefined;
    if (looksLikeCode(token, rest[0]) || NOT_A_SECRET.has(token.toLowerCase())) return undefined;
    return { start: from, end: from + token.length };
  }
  BARE_EQ.lastIndex = from;
  const m = BARE_EQ.exec(text);
  if (!m || looksLikeCode(m[0], text[BARE_EQ.lastIndex]) || NOT_A_SECRET.has(m[0].toLowerCase())) return undefined;
  return { start: from, end: from + m[0].length };
}

/** `<password>s3cret</password>`: the element text. */
function xmlValue(text: string, keyStart: number, keyEnd: number): ValueSpan | undefined {
  if (text[keyStart - 1] !== '<' || text[keyEnd] !== '>') return undefined;
  const end = text.indexOf('<', keyEnd + 1);
  if (end === -1 || end - keyEnd > 512) return undefined;
  return { start: keyEnd + 1, end };
}

/** Where the value starts and how it is delimited, or undefined when no assignment follows the key. */
function valueStart(text: string, keyStart: number, keyEnd: number): { from: number; separator: string } | undefined {
  SEPARATOR.lastIndex = keyEnd;
  const sep = SEPARATOR.exec(text);
  if (sep) return { from: SEPARATOR.lastIndex, separator: sep[2]! };
  if (!text.startsWith('--', keyStart)) return undefined;
  FLAG_SEPARATOR.lastIndex = keyEnd;
  return FLAG_SEPARATOR.exec(text) ? { from: FLAG_SEPARATOR.lastIndex, separator: '=' } : undefined;
}

/**
 * `password=…`, `secret: …`, `api_key: "…"`, `"token": "…"`, `DB_PASSWORD=…`, `--password …`,
 * `<password>…</password>`,
 * `Password=…;` in connection strings: the value after a key that names a secret. JSON, YAML,
 * env files, DSNs, query strings and CLI flags. Only the value is replaced. Placeholders, prose
 * ("password: must be 12 characters") and values shorter than 3 characters stay.
 */
export function createSecretAssignmentDetector(): Detector {
  const keyword = new RegExp(KEYWORD.source, 'gi');
  return {
    name: 'secret_assignment',
    requires: P_KEYWORD,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      keyword.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = keyword.exec(text)) !== null) {
        const at = m.index;
        const keyEnd = at + m[0].length;
        if (!keyStartsOk(text, at, m[0].length)) continue;
        const keyStart = keyTokenStart(text, at);
        const vs = valueStart(text, keyStart, keyEnd);
        const v = vs ? readValue(text, vs.from, vs.separator) : xmlValue(text, keyStart, keyEnd);
        if (!v || v.end - v.start < 3) continue;
        const value = text.slice(v.start, v.end);
        if (isPlaceholder(value)) continue;
        if (m[0].toLowerCase() === 'pwd' && /^[/~]/.test(value)) continue; // PWD=/home/app is a directory
        sink.add(v.start, v.end);
        keyword.lastIndex = Math.max(keyword.lastIndex, v.end);
      }
    },
  };
}

const KEY_HINT = /pass|pwd|secret|key|token|auth|cred/i;
const EXACT_KEYS = new Set(['pass', 'pwd', 'auth', 'authorization', 'proxyauthorization', 'credential', 'credentials', 'token', 'xapikey']);
const KEY_SUFFIXES = ['password', 'passwd', 'passphrase', 'secret', 'apikey', 'secretkey', 'privatekey', 'accesskey', 'encryptionkey', 'signingkey', 'masterkey', 'token'];

/**
 * Structured form of the same rule: an object key that names a secret (`password`, `apiKey`,
 * `client_secret`, `Authorization`, `x-api-key`, `githubToken`...). Compared without case and
 * punctuation. `tokens`, `max_tokens`, `token_type`, `secretName` are not secret keys.
 */
export function isSecretKey(key: string): boolean {
  if (!KEY_HINT.test(key)) return false;
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (EXACT_KEYS.has(k)) return true;
  return KEY_SUFFIXES.some((s) => k.endsWith(s));
}

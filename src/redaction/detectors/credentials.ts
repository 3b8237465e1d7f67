import { P_KEYWORD, P_TOKEN } from '../text-profile.js';
import { eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';
import { isPlaceholder } from './placeholder.js';

/**
 * Tokens after an HTTP auth scheme: `Authorization: Bearer …`, `Basic …`, `token …`, and a bare
 * `Bearer …`. Only the credential is replaced. Prose ("bearer token", "authorization required")
 * and placeholders (`YOUR_TOKEN`) stay: a credential has a digit, mixed case, or punctuation of
 * the token alphabet, and 8+ characters.
 */
export function createBearerTokenDetector(): Detector {
  const re = /(?:authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|bot|digest)\s+)?|bearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi;
  return {
    name: 'bearer_token',
    requires: P_KEYWORD,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        if (isWordAt(text, m.index - 1)) return false;
        const token = m[1]!;
        const end = m.index + m[0].length;
        if (!credentialLike(token) || isPlaceholder(token)) return false;
        sink.add(end - token.length, end);
      });
    },
  };
}

function credentialLike(t: string): boolean {
  if (/^[A-Z0-9_]+$/.test(t) && t.includes('_')) return false; // YOUR_ACCESS_TOKEN
  if (/\d/.test(t)) return true;
  return /[A-Z]/.test(t) && /[a-z]/.test(t) && t.length >= 16;
}

/**
 * PEM and PGP private key blocks, from `-----BEGIN … PRIVATE KEY-----` to the matching END line.
 * A block cut off before its END (truncated output) is replaced up to the end of its base64 body.
 */
export function createPrivateKeyDetector(): Detector {
  const begin = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
  const body = /[A-Za-z0-9+/=\s\\:,-]*/y;
  return {
    name: 'private_key',
    requires: P_TOKEN,
    mayMatch: (text) => text.includes('PRIVATE KEY'),
    find(text: string, sink: MatchSink): void {
      eachMatch(begin, text, (m) => {
        const start = m.index;
        const endLine = `-----END ${m[1]!}-----`;
        const at = text.indexOf(endLine, start + m[0].length);
        if (at !== -1) {
          sink.add(start, at + endLine.length);
          begin.lastIndex = at + endLine.length;
          return true;
        }
        body.lastIndex = start + m[0].length;
        body.exec(text);
        sink.add(start, body.lastIndex);
        begin.lastIndex = Math.max(begin.lastIndex, body.lastIndex);
      });
    },
  };
}

/**
 * Passwords in URLs and connection URIs: `scheme://user:password@host` (postgres://,
 * mongodb+srv://, redis://:pw@, amqp://, https://...). Only the password is replaced; the user
 * and host stay readable for the audit. Placeholders (`${DB_PASSWORD}`, `<password>`) stay.
 */
export function createUrlPasswordDetector(): Detector {
  const userinfo = /([^\s:@/?#"'<>]*):([^\s/?#"'<>]+)@[A-Za-z0-9[]/y;
  return {
    name: 'url_password',
    requires: P_TOKEN,
    mayMatch: (text) => text.includes('@'),
    find(text: string, sink: MatchSink): void {
      let at = text.indexOf('://');
      while (at !== -1) {
        if (isWordAt(text, at - 1, '+.-')) {
          userinfo.lastIndex = at + 3;
          const m = userinfo.exec(text);
          if (m && !isPlaceholder(m[2]!)) {
            const start = at + 3 + m[1]!.length + 1;
            sink.add(start, start + m[2]!.length);
          }
        }
        at = text.indexOf('://', at + 3);
      }
    },
  };
}

/**
 * AWS secret access keys: 40 base64 characters, only in an AWS secret context
 * (`aws_secret_access_key = …`, `AWS_SECRET_ACCESS_KEY=…`, `"SecretAccessKey": "…"`), because a bare
 * 40-character base64 string is just as likely a hash or an id.
 */
export function createAwsSecretKeyDetector(): Detector {
  const re = /secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;
  return {
    name: 'aws_secret_access_key',
    requires: P_KEYWORD,
    mayMatch: (text) => text.includes('ccess') || text.includes('CCESS'),
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const end = m.index + m[0].length;
        sink.add(end - 40, end);
      });
    },
  };
}

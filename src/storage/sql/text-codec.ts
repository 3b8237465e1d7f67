/**
 * PostgreSQL text cannot hold U+0000, and a JavaScript string can also hold unpaired UTF-16
 * surrogates that UTF-8 cannot carry. Rather than reject such a record (an audit trail keeps
 * what it is given), every text value is stored through this reversible escape: a value that
 * contains NUL or an unpaired surrogate, or that begins with the marker U+FDD0 (a Unicode
 * noncharacter, never sent by well-behaved clients), is stored as the marker followed by its
 * JSON string literal; every other value is stored as is. Reads undo it, and filters encode
 * their values the same way, so equality matches exactly. Search sees the escaped form for those
 * rare values only. JSON payloads need nothing: they are stored as `json` text, where NUL is the
 * escape "\u0000".
 */
const MARK = 0xfdd0;
const MARK_CHAR = String.fromCharCode(MARK);

interface WellFormed {
  isWellFormed(): boolean;
}

export function encodeText(s: string): string {
  if (s.includes('\u0000') || s.charCodeAt(0) === MARK || !(s as unknown as WellFormed).isWellFormed()) return MARK_CHAR + JSON.stringify(s);
  return s;
}

export function decodeText(s: string): string {
  return s.charCodeAt(0) === MARK ? (JSON.parse(s.slice(1)) as string) : s;
}

export function encodeNullableText(s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : encodeText(s);
}

export function decodeNullableText(s: unknown): string | null {
  return typeof s === 'string' ? decodeText(s) : null;
}

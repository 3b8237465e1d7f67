import { AuditrailError, errorMessage } from '../../core/errors.js';
import { encodeText } from './text-codec.js';

/**
 * COPY text format: one line per row, columns separated by tabs, NULL as \N, and backslash,
 * tab, newline and carriage return escaped with a backslash. Text values go through the NUL
 * escape (text-codec.ts) first.
 */
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const REPLACE: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export const NULL = '\\N';

/** A raw string as a COPY field (no NUL escape: for values known to be safe, like uuids). */
export function copyRaw(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => REPLACE[c]!) : s;
}

/**
 * One scan decides the common case: no COPY metacharacter, no NUL, no surrogate (emoji take the
 * slow path, which checks that their surrogates are paired) and no escape marker: emitted as is.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const PLAIN = /[\\\t\n\r\u0000\ud800-\udfff\ufdd0]/;

/** A text column. */
export function copyText(s: string): string {
  return PLAIN.test(s) ? copyRaw(encodeText(s)) : s;
}

export function copyNullableText(s: string | null | undefined): string {
  return s === null || s === undefined ? NULL : copyText(s);
}

export function copyNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? NULL : String(n);
}

export function copyBool(b: boolean | null | undefined): string {
  return b === null || b === undefined ? NULL : b ? 't' : 'f';
}

/** A timestamp already normalized to ISO 8601 UTC. */
export function copyTimestamp(ts: string | null | undefined): string {
  return ts === null || ts === undefined ? NULL : ts;
}

/**
 * A `json` column: undefined is SQL NULL, anything else (null included) its JSON text. A value
 * JSON cannot represent (a BigInt, a cycle) fails the batch with RECORD_INVALID naming the field.
 */
export function copyJson(v: unknown, where: () => string): string {
  if (v === undefined) return NULL;
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch (err) {
    throw new AuditrailError('RECORD_INVALID', `${where()} is not JSON-serializable: ${errorMessage(err)}`);
  }
  // JSON.stringify answers undefined for a function or a symbol: store what a JSON round trip keeps.
  return text === undefined ? NULL : copyRaw(text);
}

import { AuditrailError } from '../core/errors.js';

/**
 * The canonical JSON text of a value (docs/integrity.md, "Canonical encoding"): RFC 8785 JSON
 * Canonicalization Scheme (JCS) applied to the value's JSON form, with one auditrail rule on top:
 * object members whose value is null are left out, at every depth, because the SQL storages
 * cannot tell an absent optional field from a null one. Null array elements are kept.
 *
 * - The JSON form is what JSON.stringify would produce: `toJSON()` is honoured (Dates become ISO
 *   strings); undefined, functions and symbols are left out of objects and become null in arrays;
 *   numbers that are not finite become null.
 * - Members are sorted by their names' UTF-16 code units (JCS §3.2.3); `Array.prototype.sort`
 *   without a comparator orders strings exactly so.
 * - Numbers are written as ECMAScript Number::toString (JCS §3.2.2.3), which JSON.stringify does.
 * - Strings are written as JSON.stringify writes them (JCS §3.2.2.2: `\"`, `\\`, `\b \f \n \r \t`,
 *   other controls as lowercase `\u00xx`, everything else literal). An unpaired surrogate, which
 *   JCS would reject, is written as a lowercase `\udxxx` escape, so that every stored string has
 *   one canonical form (the SQL storages keep such strings exactly).
 *
 * Throws AUDITRAIL_ERR_INTEGRITY_INPUT_INVALID for a BigInt or a cycle, which JSON cannot carry.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, '', 0, undefined);
  return out === undefined ? 'null' : out;
}

/**
 * Where core's normalizeRecord rewrites timestamps to UTC with milliseconds: the record's
 * `timestamp`, and in an interaction `thoughts[].timestamp` and `toolCalls[].startedAt` (when set).
 */
interface Rules {
  readonly timestampKey?: string;
  /** Only when set (truthy), as normalizeRecord does for the children. */
  readonly timestampWhenSet?: boolean;
  readonly arrays?: Readonly<Record<string, Rules>>;
}
const EVENT_RULES: Rules = { timestampKey: 'timestamp' };
const INTERACTION_RULES: Rules = {
  timestampKey: 'timestamp',
  arrays: { thoughts: { timestampKey: 'timestamp', timestampWhenSet: true }, toolCalls: { timestampKey: 'startedAt', timestampWhenSet: true } },
};

/**
 * `canonicalJson(normalizeRecord(record))`, without building the normalized copy: the
 * timestamps are rewritten as they are written. A test keeps the two equal.
 */
export function canonicalRecordJson(record: { readonly kind: string }): string {
  return writeObject(record, 1, record.kind === 'interaction' ? INTERACTION_RULES : EVENT_RULES);
}

function utc(value: unknown, key: string): string {
  const d = new Date(value as string);
  if (Number.isNaN(d.getTime())) throw new AuditrailError('INTEGRITY_INPUT_INVALID', `"${key}" is not a date-time: ${String(value)}`);
  return d.toISOString();
}

/** Deeper than this is a cycle (records are limited to 32 levels): JSON.stringify would refuse it too. */
const MAX_DEPTH = 512;
// Characters JSON.stringify escapes: quote, backslash, controls, and surrogates (lone ones).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function write(value: unknown, key: string, depth: number, rules: Rules | undefined): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new AuditrailError('INTEGRITY_INPUT_INVALID', `a BigInt at "${key}" has no JSON form`);
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new AuditrailError('INTEGRITY_INPUT_INVALID', `a cycle (or nesting deeper than ${MAX_DEPTH}) at "${key}" has no JSON form`);
      return Array.isArray(value) ? writeArray(value, depth + 1, rules) : writeObject(value as Record<string, unknown>, depth + 1, rules);
    default:
      return undefined; // undefined, function, symbol
  }
}

/** `elementRules` apply to the objects in the array (the children of an interaction). */
function writeArray(items: readonly unknown[], depth: number, elementRules: Rules | undefined): string {
  let s = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) s += ',';
    s += write(items[i], String(i), depth, elementRules) ?? 'null';
  }
  return `${s}]`;
}

function writeObject(obj: Record<string, unknown>, depth: number, rules: Rules | undefined): string {
  const keys = Object.keys(obj).sort();
  let s = '{';
  for (const k of keys) {
    let v = obj[k];
    if (v === null || v === undefined) continue;
    if (rules !== undefined && k === rules.timestampKey && (!rules.timestampWhenSet || v)) v = utc(v, k);
    const text = write(v, k, depth, rules?.arrays?.[k]);
    if (text === undefined || text === 'null') continue; // null after toJSON, or a non-finite number
    s += s.length === 1 ? `${quote(k)}:${text}` : `,${quote(k)}:${text}`;
  }
  return `${s}}`;
}

import type { AttributeValue, Attributes } from './otlp-types.js';

/** Nesting beyond this is cut (as null): the record's own depth limit applies later anyway. */
const MAX_DEPTH = 64;

/**
 * An OTLP AnyValue (OTLP/JSON, or protobuf decoded to an object) as a plain value: int64 as a
 * number when it is a safe integer (else its decimal string), bytes as base64, arrays and
 * key-value lists as arrays and objects. Key-value lists become objects through
 * Object.fromEntries, which defines `__proto__` as an ordinary own key (refused later by the
 * record walk) instead of setting a prototype.
 */
export function anyValue(value: unknown, depth = 0): AttributeValue {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return null;
  const v = value as Record<string, unknown>;
  const s = v.stringValue ?? v.string_value;
  if (typeof s === 'string') return s;
  const b = v.boolValue ?? v.bool_value;
  if (typeof b === 'boolean') return b;
  const i = v.intValue ?? v.int_value;
  if (i !== undefined) return int64(i);
  const d = v.doubleValue ?? v.double_value;
  if (d !== undefined) return double(d);
  const arr = (v.arrayValue ?? v.array_value) as { values?: unknown } | undefined;
  if (arr !== undefined) return Array.isArray(arr?.values) ? arr.values.map((x) => anyValue(x, depth + 1)) : [];
  const kv = (v.kvlistValue ?? v.kvlist_value) as { values?: unknown } | undefined;
  if (kv !== undefined) return Object.fromEntries(keyValues(kv?.values, depth + 1));
  const bytes = v.bytesValue ?? v.bytes_value;
  if (bytes instanceof Uint8Array) return Buffer.from(bytes).toString('base64');
  if (typeof bytes === 'string') return bytes;
  return null;
}

/** A list of OTLP KeyValue as entries; later duplicates win, entries without a key are skipped. */
function keyValues(list: unknown, depth: number): [string, AttributeValue][] {
  if (!Array.isArray(list)) return [];
  const out: [string, AttributeValue][] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const key = (item as { key?: unknown }).key;
    if (typeof key !== 'string' || key === '') continue;
    out.push([key, anyValue((item as { value?: unknown }).value, depth)]);
  }
  return out;
}

/** OTLP `attributes` (a list of KeyValue) as a Map. */
export function attributesOf(list: unknown): Attributes {
  return new Map(keyValues(list, 0));
}

function int64(v: unknown): number | string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return null;
}

function double(v: unknown): number | string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  // OTLP/JSON spells non-finite doubles as "NaN", "Infinity", "-Infinity"
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  return null;
}

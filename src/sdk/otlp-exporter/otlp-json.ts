/** OTLP/JSON building blocks: AnyValue, attribute lists, nanosecond times. */

export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } };

export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

export type AttributeInput = string | number | boolean | readonly string[] | null | undefined;

/** A scalar (or string list) as an OTLP/JSON AnyValue; int64 as a decimal string, as the spec spells it. */
export function anyValue(v: Exclude<AttributeInput, null | undefined>): OtlpAnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { arrayValue: { values: v.map((s) => ({ stringValue: s })) } };
}

/** Attributes with null and undefined values left out. */
export function attributes(a: Readonly<Record<string, AttributeInput>>): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, v] of Object.entries(a)) if (v !== null && v !== undefined) out.push({ key, value: anyValue(v) });
  return out;
}

/** Milliseconds since the epoch as OTLP/JSON nanoseconds (a decimal string). */
export function msToNanos(ms: number): string {
  return (BigInt(Math.trunc(ms)) * 1_000_000n).toString();
}

/** A value as JSON text (attributes carry structured values as JSON strings, as the GenAI conventions do). */
export function jsonText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

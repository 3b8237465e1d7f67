/**
 * OTLP data as the mapping reads it, whatever the wire encoding was: ids as lowercase hex,
 * times as bigint nanoseconds, attributes as a Map (so that no key, `__proto__` included, can
 * reach an object prototype).
 */
export type AttributeValue = string | number | boolean | null | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };
export type Attributes = ReadonlyMap<string, AttributeValue>;

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;

export interface OtlpScope {
  readonly name: string;
  readonly version: string;
}

export interface OtlpSpanEvent {
  readonly name: string;
  readonly timeNs: bigint;
  readonly attributes: Attributes;
}

export interface OtlpSpan {
  /** Position of the span in the request (counting every span, valid or not). */
  readonly index: number;
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly attributes: Attributes;
  readonly events: readonly OtlpSpanEvent[];
  readonly status: { readonly code: number; readonly message: string };
  readonly resource: Attributes;
  readonly scope: OtlpScope;
}

export interface OtlpLogRecord {
  readonly index: number;
  /** time_unix_nano, or observed_time_unix_nano when the former is 0. */
  readonly timeNs: bigint;
  /** event_name, or the older `event.name` attribute; '' when neither is set. */
  readonly eventName: string;
  readonly severityNumber: number;
  readonly body: AttributeValue | undefined;
  readonly attributes: Attributes;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly resource: Attributes;
  readonly scope: OtlpScope;
}

/** An item the request carried but that cannot be mapped (bad ids, bad times). */
export interface InvalidItem {
  readonly index: number;
  readonly reason: string;
}

export interface DecodedItems<T> {
  readonly items: readonly T[];
  readonly invalid: readonly InvalidItem[];
  /** Every item of the request, valid or not. */
  readonly total: number;
}

/** Builders of OTLP/JSON export requests for tests, spelled as the spec spells them. */
import { randomBytes } from 'node:crypto';

export type Attr = string | number | boolean | readonly Attr[] | { readonly [k: string]: Attr };

export function anyValue(v: Attr): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { kvlistValue: { values: Object.entries(v).map(([key, value]) => ({ key, value: anyValue(value) })) } };
}

export function attributes(a: Record<string, Attr | undefined>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(a)
    .filter((e): e is [string, Attr] => e[1] !== undefined)
    .map(([key, value]) => ({ key, value: anyValue(value) }));
}

export const traceId = (): string => randomBytes(16).toString('hex');
export const spanId = (): string => randomBytes(8).toString('hex');

/** Nanoseconds since the epoch, as OTLP/JSON's decimal string. */
export const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes?: Record<string, Attr | undefined>;
  status?: { code: 0 | 1 | 2; message?: string };
  events?: { name: string; timeMs: number; attributes?: Record<string, Attr> }[];
}

export function span(s: SpanSpec): Record<string, unknown> {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: 1,
    startTimeUnixNano: ns(s.startMs),
    endTimeUnixNano: ns(s.endMs),
    attributes: attributes(s.attributes ?? {}),
    events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: ns(e.timeMs), attributes: attributes(e.attributes ?? {}) })),
    status: s.status ?? { code: 0 },
  };
}

export function tracesRequest(spans: Record<string, unknown>[], resource: Record<string, Attr> = { 'service.name': 'ops-agent' }): Record<string, unknown> {
  return { resourceSpans: [{ resource: { attributes: attributes(resource) }, scopeSpans: [{ scope: { name: 'test-agent', version: '1.0.0' }, spans }] }] };
}

export interface LogSpec {
  eventName: string;
  timeMs: number;
  body?: Attr;
  attributes?: Record<string, Attr>;
  traceId?: string;
  spanId?: string;
}

export function logsRequest(records: LogSpec[], resource: Record<string, Attr> = { 'service.name': 'ops-agent' }): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: attributes(resource) },
        scopeLogs: [
          {
            scope: { name: 'test-agent' },
            logRecords: records.map((r) => ({
              timeUnixNano: ns(r.timeMs),
              eventName: r.eventName,
              ...(r.body !== undefined ? { body: anyValue(r.body) } : {}),
              attributes: attributes(r.attributes ?? {}),
              ...(r.traceId ? { traceId: r.traceId } : {}),
              ...(r.spanId ? { spanId: r.spanId } : {}),
            })),
          },
        ],
      },
    ],
  };
}

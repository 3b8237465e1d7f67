import { LIMITS } from '../../core/limits.js';
import { GENERAL } from './genai-attributes.js';
import type { OtlpSpan } from './otlp-types.js';
import { text } from './span-facts.js';

/**
 * Where a record came from, kept in its metadata under `otel`: signal, trace and span ids (the
 * link between records made from one trace), span name, instrumentation scope and service.
 */
export function otelProvenance(span: Pick<OtlpSpan, 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'scope' | 'resource'>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { signal: 'traces', traceId: span.traceId, spanId: span.spanId };
  if (span.parentSpanId !== undefined) out.parentSpanId = span.parentSpanId;
  if (span.name !== '') out.spanName = span.name.slice(0, LIMITS.maxIdLength);
  if (span.scope.name !== '') out.scope = span.scope.name.slice(0, LIMITS.maxIdLength);
  const service = text(span.resource, GENERAL.serviceName);
  if (service !== undefined) out.service = service.slice(0, LIMITS.maxIdLength);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out;
}

/** The session of records whose spans name none: the trace. */
export function fallbackSessionId(traceId: string): string {
  return `otel-trace-${traceId}`;
}

/** Ids, names and labels are cut to the id length limit rather than losing the record. */
export function clipId(v: string | undefined): string | undefined {
  return v === undefined ? undefined : v.length <= LIMITS.maxIdLength ? v : v.slice(0, LIMITS.maxIdLength);
}

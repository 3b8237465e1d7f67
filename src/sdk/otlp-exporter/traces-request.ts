import { ERRORS, type AuditRecord, type RejectedRecord } from '../../core/index.js';
import { attributes } from './otlp-json.js';
import { eventSpan, interactionSpans, type OtlpSpan } from './record-spans.js';

const SCOPE = { name: 'auditrail', version: '0.1.0' };

/** Records as one OTLP/JSON ExportTraceServiceRequest (one resource, one scope). */
export function toOtlpTracesRequest(records: readonly AuditRecord[], resource: Readonly<Record<string, string | number | boolean>>): Record<string, unknown> {
  const spans: OtlpSpan[] = [];
  for (const r of records) {
    if (r.kind === 'interaction') spans.push(...interactionSpans(r));
    else spans.push(eventSpan(r));
  }
  return { resourceSpans: [{ resource: { attributes: attributes(resource) }, scopeSpans: [{ scope: SCOPE, spans }] }] };
}

/**
 * A collector's partialSuccess: it counts rejected spans without naming them, so the batch's
 * records are reported rejected up to that count (never more than the batch), with the
 * collector's message and no record id.
 */
export function rejectedFromPartialSuccess(body: string, records: readonly AuditRecord[]): RejectedRecord[] {
  let partial: { rejectedSpans?: unknown; errorMessage?: unknown } | undefined;
  try {
    partial = (JSON.parse(body) as { partialSuccess?: typeof partial } | null)?.partialSuccess;
  } catch {
    return [];
  }
  const count = Number(partial?.rejectedSpans ?? 0);
  if (!Number.isFinite(count) || count <= 0) return [];
  const message = typeof partial?.errorMessage === 'string' && partial.errorMessage !== '' ? partial.errorMessage : 'rejected by the collector';
  return Array.from({ length: Math.min(count, records.length) }, () => ({ id: '(unknown)', code: ERRORS.RECORD_INVALID.code, message: `the collector rejected ${count} span(s) (OTLP partialSuccess): ${message}` }));
}

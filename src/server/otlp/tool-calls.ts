import type { AuditEvent } from '../../core/audit-event.js';
import { TOOL_CALL_STATUSES, type ToolCall } from '../../core/interaction.js';
import { AUDITRAIL } from './genai-attributes.js';
import { nsToIso, spanMs } from './otlp-time.js';
import type { OtlpSpan } from './otlp-types.js';
import { approvalOf } from './approval.js';
import { text, type SpanFacts } from './span-facts.js';
import { clipId } from './provenance.js';

/** The action id linking a tool span's tool call and its action events. */
export function actionIdOf(traceId: string, spanId: string): string {
  return `otel-${traceId}-${spanId}`;
}

/**
 * True for a tool span that createOtlpExporter made from an auditrail record (it carries
 * auditrail.tool_call.sequence): its action events travel as their own spans, so none are made
 * from it, and its action id is the one it names (none when it names none).
 */
export function isExportedToolCall(span: OtlpSpan): boolean {
  return span.attributes.has(AUDITRAIL.toolCallSequence);
}

/** One tool call of an interaction from an execute_tool / ai.toolCall span. */
export function toolCallOfSpan(traceId: string, span: OtlpSpan, facts: SpanFacts): Omit<ToolCall, 'sequence'> {
  const tool = facts.tool!;
  const exported = isExportedToolCall(span);
  const approval = approvalOf(span);
  const claimed = text(span.attributes, AUDITRAIL.toolCallStatus);
  let status: ToolCall['status'];
  let errorMessage: string | null = null;
  if (claimed !== undefined && (TOOL_CALL_STATUSES as readonly string[]).includes(claimed)) {
    status = claimed as ToolCall['status'];
    errorMessage = status === 'rejected' ? (approval.rejectionReason ?? null) : span.status.message || null;
  } else if (approval.rejected) {
    status = 'rejected';
    errorMessage = approval.rejectionReason ?? null;
  } else if (facts.error !== undefined) {
    status = 'error';
    errorMessage = facts.error;
  } else {
    status = 'success';
  }
  return {
    name: clipId(tool.name)!,
    input: tool.arguments ?? null,
    ...(tool.hasResult ? { observation: tool.result } : {}),
    durationMs: spanMs(span.startNs, span.endNs),
    startedAt: nsToIso(span.startNs),
    status,
    errorMessage,
    actionId: exported ? (clipId(text(span.attributes, AUDITRAIL.actionId)) ?? null) : actionIdOf(traceId, span.spanId),
  };
}

/**
 * Tool calls of an interaction rebuilt from the action events stored for it by earlier requests
 * (tool spans exported before their agent span): one per action that reached an end.
 */
export function toolCallsFromEvents(events: readonly AuditEvent[]): Omit<ToolCall, 'sequence'>[] {
  const out: Omit<ToolCall, 'sequence'>[] = [];
  for (const e of events) {
    if (e.eventType !== 'action_completed' && e.eventType !== 'action_failed' && e.eventType !== 'action_rejected') continue;
    const observation = e.metadata.result;
    out.push({
      name: e.actionName,
      input: e.actionParams,
      ...(observation !== undefined ? { observation } : {}),
      durationMs: e.durationMs,
      startedAt: new Date(Date.parse(e.timestamp) - e.durationMs).toISOString(),
      status: e.eventType === 'action_completed' ? 'success' : e.eventType === 'action_failed' ? 'error' : 'rejected',
      errorMessage: e.eventType === 'action_failed' ? (e.errorMessage ?? null) : e.eventType === 'action_rejected' ? (e.reason ?? null) : null,
      actionId: e.actionId,
    });
  }
  return out;
}

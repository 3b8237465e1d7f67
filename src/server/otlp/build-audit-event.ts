import type { AuditEventInput } from '../../core/audit-event.js';
import { isUuid } from '../../core/ids.js';
import { parseJsonText } from './chat-messages.js';
import { objectAttribute } from './build-interaction.js';
import { severityOf } from './build-action-events.js';
import { derivedId } from './derived-id.js';
import { AUDITRAIL, GENAI, GENERAL } from './genai-attributes.js';
import { nsToIso, nsToMs } from './otlp-time.js';
import { clipId, fallbackSessionId, otelProvenance } from './provenance.js';
import { flag, nonNegative, text } from './span-facts.js';
import type { OtlpSpan } from './otlp-types.js';

/**
 * One seed-000 event from a span that carries auditrail.event.type (how createOtlpExporter sends
 * action and approval events): every field from its auditrail.* and convention attributes, the
 * event's time being the span's end. An unknown event type or a missing field makes the record
 * invalid, and the span is reported rejected.
 */
export function buildAuditEvent(orgId: string, span: OtlpSpan): AuditEventInput {
  const a = span.attributes;
  const eventType = text(a, AUDITRAIL.eventType) ?? '';
  const claimedId = text(a, AUDITRAIL.eventId);
  const params = parseJsonText(a.get(AUDITRAIL.actionParams));
  const granted = flag(a, AUDITRAIL.approvalGranted);
  const success = flag(a, AUDITRAIL.success);
  const durationMs = nonNegative(a.get(AUDITRAIL.durationMs));
  const severity = severityOf(text(a, AUDITRAIL.severity));
  const interactionId = text(a, AUDITRAIL.interactionId);
  return {
    kind: 'event',
    eventId: claimedId !== undefined && isUuid(claimedId) ? claimedId.toLowerCase() : derivedId(['event', orgId, span.traceId, span.spanId, eventType], nsToMs(span.endNs)),
    eventType: eventType as AuditEventInput['eventType'],
    timestamp: nsToIso(span.endNs),
    orgId,
    userId: clipId(text(a, GENERAL.userId) ?? 'unknown')!,
    agentId: clipId(text(a, GENAI.agentId) ?? text(span.resource, GENERAL.serviceName) ?? 'unknown')!,
    sessionId: clipId(text(a, GENAI.conversationId) ?? fallbackSessionId(span.traceId))!,
    actionId: clipId(text(a, AUDITRAIL.actionId) ?? `otel-${span.traceId}-${span.spanId}`)!,
    actionName: clipId(text(a, AUDITRAIL.actionName) ?? text(a, GENAI.toolName) ?? 'unknown')!,
    actionParams: typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {},
    interactionId: interactionId !== undefined && isUuid(interactionId) ? interactionId.toLowerCase() : null,
    capabilityType: clipId(text(a, AUDITRAIL.capabilityType)) ?? null,
    capabilitySource: clipId(text(a, AUDITRAIL.capabilitySource)) ?? null,
    capabilityVersion: clipId(text(a, AUDITRAIL.capabilityVersion)) ?? null,
    mcpServerId: clipId(text(a, AUDITRAIL.mcpServerId)) ?? null,
    mcpServerName: clipId(text(a, AUDITRAIL.mcpServerName)) ?? null,
    requiresApproval: flag(a, AUDITRAIL.approvalRequired) ?? false,
    approvalGranted: granted ?? null,
    approver: clipId(text(a, AUDITRAIL.approvalApprover)) ?? null,
    reason: text(a, AUDITRAIL.reason) ?? null,
    success: success ?? null,
    durationMs: durationMs === undefined ? 0 : Math.round(durationMs),
    errorMessage: text(a, AUDITRAIL.errorMessage) ?? null,
    ...(severity !== undefined ? { severity } : {}),
    metadata: { ...objectAttribute(a.get(AUDITRAIL.metadata)), otel: otelProvenance(span) },
  };
}

import type { AuditEventInput, EventType, Severity } from '../../core/audit-event.js';
import { SEVERITIES } from '../../core/audit-event.js';
import { approvalOf } from './approval.js';
import { derivedId } from './derived-id.js';
import { AUDITRAIL, GENERAL } from './genai-attributes.js';
import { nsToIso, nsToMs, spanMs } from './otlp-time.js';
import { clipId, fallbackSessionId, otelProvenance } from './provenance.js';
import { text, type SpanFacts } from './span-facts.js';
import type { OtlpSpan } from './otlp-types.js';
import { actionIdOf } from './tool-calls.js';

/** What a tool span's events inherit from the interaction they belong to, when it is known. */
export interface ActionContext {
  readonly interactionId: string | undefined;
  /** How interactionId was found: its root span was in the request, or it is the parent span's. */
  readonly link: 'in-request' | 'parent-span' | undefined;
  readonly sessionId: string | undefined;
  readonly userId: string | undefined;
  readonly agentId: string | undefined;
}

/** Life-cycle order of one action's events within a millisecond (see derivedId). */
const ORDINAL: Readonly<Record<EventType, number>> = {
  action_started: 0,
  approval_requested: 1,
  approval_granted: 2,
  approval_denied: 2,
  action_completed: 3,
  action_failed: 3,
  action_rejected: 3,
};

/**
 * The seed-000 events of one tool span: action_started at its start; approval_requested and
 * approval_granted / approval_denied when it records an approval; then action_completed,
 * action_failed (span status ERROR) or action_rejected (auditrail.action.rejected, or approval
 * denied) at its end, with its duration. Ids derive from org, trace, span and event type.
 */
export function buildActionEvents(orgId: string, span: OtlpSpan, facts: SpanFacts, ctx: ActionContext): AuditEventInput[] {
  const tool = facts.tool!;
  const a = span.attributes;
  const approval = approvalOf(span);
  const args = tool.arguments;
  const base = {
    userId: clipId(facts.userId ?? ctx.userId ?? text(span.resource, GENERAL.userId) ?? 'unknown')!,
    agentId: clipId(facts.agentId ?? ctx.agentId ?? text(span.resource, GENERAL.serviceName) ?? 'unknown')!,
    sessionId: clipId(facts.conversationId ?? ctx.sessionId ?? text(span.resource, GENERAL.sessionId) ?? fallbackSessionId(span.traceId))!,
    actionId: actionIdOf(span.traceId, span.spanId),
    actionName: clipId(tool.name)!,
    actionParams: typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : args === undefined || args === null ? {} : { arguments: args },
    interactionId: ctx.interactionId ?? null,
    capabilityType: clipId(text(a, AUDITRAIL.capabilityType) ?? tool.type) ?? null,
    capabilitySource: clipId(text(a, AUDITRAIL.capabilitySource)) ?? null,
    capabilityVersion: clipId(text(a, AUDITRAIL.capabilityVersion)) ?? null,
    mcpServerId: clipId(text(a, AUDITRAIL.mcpServerId)) ?? null,
    mcpServerName: clipId(text(a, AUDITRAIL.mcpServerName)) ?? null,
    requiresApproval: approval.required,
  };
  const otel = otelProvenance(span, {
    ...(tool.callId !== undefined ? { toolCallId: tool.callId } : {}),
    ...(ctx.link !== undefined ? { interactionLink: ctx.link } : {}),
  });
  /** The fields one event sets beyond the span's common ones. */
  interface Outcome {
    success?: boolean | null;
    durationMs?: number;
    errorMessage?: string | null;
    reason?: string | null;
    approvalGranted?: boolean | null;
    approver?: string | null;
    severity?: Severity;
    result?: { value: unknown };
  }
  // one object literal of one shape per event: object spread of the common fields costs ~10x more
  // in V8 and showed as the top of the ingestion profile (bench/suites/otlp-ingest.ts)
  const event = (eventType: EventType, atNs: bigint, o: Outcome): AuditEventInput => ({
    kind: 'event',
    eventId: derivedId(['event', orgId, span.traceId, span.spanId, eventType], nsToMs(atNs), ORDINAL[eventType]),
    eventType,
    timestamp: nsToIso(atNs),
    orgId,
    userId: base.userId,
    agentId: base.agentId,
    sessionId: base.sessionId,
    actionId: base.actionId,
    actionName: base.actionName,
    actionParams: base.actionParams,
    interactionId: base.interactionId,
    capabilityType: base.capabilityType,
    capabilitySource: base.capabilitySource,
    capabilityVersion: base.capabilityVersion,
    mcpServerId: base.mcpServerId,
    mcpServerName: base.mcpServerName,
    requiresApproval: base.requiresApproval,
    approvalGranted: o.approvalGranted ?? null,
    approver: o.approver ?? null,
    reason: o.reason ?? null,
    success: o.success ?? null,
    durationMs: o.durationMs ?? 0,
    errorMessage: o.errorMessage ?? null,
    severity: o.severity ?? 'info',
    // the tool's result has no field of its own in an event: metadata.result, as the SDK keeps it
    metadata: o.result === undefined ? { otel } : { result: o.result.value, otel },
  });

  const events: AuditEventInput[] = [event('action_started', span.startNs, {})];
  if (approval.required) events.push(event('approval_requested', approval.requestedNs, {}));
  if (approval.granted !== undefined) {
    const decision = { approvalGranted: approval.granted, approver: clipId(approval.approver) ?? null, reason: approval.reason ?? null, severity: approval.granted ? ('info' as const) : ('warning' as const) };
    events.push(event(approval.granted ? 'approval_granted' : 'approval_denied', approval.decidedNs, decision));
  }
  const durationMs = spanMs(span.startNs, span.endNs);
  const severity = severityOf(text(a, AUDITRAIL.severity));
  if (approval.rejected) {
    events.push(event('action_rejected', span.endNs, { success: false, durationMs, reason: approval.rejectionReason ?? null, approvalGranted: approval.granted ?? null, severity: severity ?? 'warning' }));
  } else if (facts.error !== undefined) {
    events.push(event('action_failed', span.endNs, { success: false, durationMs, errorMessage: facts.error, severity: severity ?? 'error' }));
  } else {
    events.push(event('action_completed', span.endNs, { success: true, durationMs, severity: severity ?? 'info', ...(tool.hasResult ? { result: { value: tool.result } } : {}) }));
  }
  return events;
}

export function severityOf(v: string | undefined): Severity | undefined {
  return v !== undefined && (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : undefined;
}

import { APPROVAL_EVENTS, AUDITRAIL } from './genai-attributes.js';
import type { OtlpSpan } from './otlp-types.js';
import { flag, text } from './span-facts.js';

export interface ApprovalFacts {
  readonly required: boolean;
  /** true granted, false denied, undefined no decision recorded. */
  readonly granted: boolean | undefined;
  readonly approver: string | undefined;
  readonly reason: string | undefined;
  /** When approval was asked and decided (the span events' times, else the span's start). */
  readonly requestedNs: bigint;
  readonly decidedNs: bigint;
  /** The action did not run: auditrail.action.rejected, or approval denied. */
  readonly rejected: boolean;
  readonly rejectionReason: string | undefined;
}

/**
 * Approval and rejection of a tool span. No OpenTelemetry convention covers them, so they are
 * auditrail.* attributes (auditrail.approval.required / granted / approver / reason,
 * auditrail.action.rejected / rejection_reason), or, to time them, span events
 * auditrail.approval_requested / auditrail.approval_granted / auditrail.approval_denied carrying
 * auditrail.approval.approver and auditrail.approval.reason.
 */
export function approvalOf(span: OtlpSpan): ApprovalFacts {
  const a = span.attributes;
  const requestedEvent = span.events.find((e) => e.name === APPROVAL_EVENTS.requested);
  const decisionEvent = span.events.find((e) => e.name === APPROVAL_EVENTS.granted || e.name === APPROVAL_EVENTS.denied);
  const grantedAttr = flag(a, AUDITRAIL.approvalGranted);
  const granted = grantedAttr ?? (decisionEvent ? decisionEvent.name === APPROVAL_EVENTS.granted : undefined);
  const required = flag(a, AUDITRAIL.approvalRequired) ?? (requestedEvent !== undefined || granted !== undefined);
  const eventAttrs = decisionEvent?.attributes;
  const approver = text(a, AUDITRAIL.approvalApprover) ?? (eventAttrs && text(eventAttrs, AUDITRAIL.approvalApprover));
  const reason = text(a, AUDITRAIL.approvalReason) ?? (eventAttrs && text(eventAttrs, AUDITRAIL.approvalReason));
  const rejected = flag(a, AUDITRAIL.actionRejected) === true || granted === false;
  const requestedNs = requestedEvent && requestedEvent.timeNs > 0n ? requestedEvent.timeNs : span.startNs;
  const decidedNs = decisionEvent && decisionEvent.timeNs > 0n ? decisionEvent.timeNs : requestedNs;
  return {
    required,
    granted,
    approver,
    reason,
    requestedNs,
    decidedNs,
    rejected,
    rejectionReason: text(a, AUDITRAIL.rejectionReason) ?? (granted === false ? reason : undefined),
  };
}

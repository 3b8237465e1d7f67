import { errorMessage, type EventType, type Severity } from '../core/index.js';
import { defined, timestampOf, wholeMs, type QueuedRecord, type RecordBuilder } from './queued-record.js';

/** Common input of the seed-000 methods; logger context fills the ids it leaves out. */
export interface ActionEventInput {
  /** Links the events of one action (and the tool call of an interaction). */
  actionId: string;
  actionName: string;
  actionParams?: Record<string, unknown>;
  /** A UUID to use as the event id (idempotency key); one is made (UUIDv7) when absent. */
  eventId?: string;
  /** ISO string, Date or epoch ms; the time of the call when absent. */
  timestamp?: string | Date | number;
  orgId?: string;
  userId?: string;
  agentId?: string;
  sessionId?: string;
  interactionId?: string | null;
  capabilityType?: string | null;
  capabilitySource?: string | null;
  capabilityVersion?: string | null;
  mcpServerId?: string | null;
  mcpServerName?: string | null;
  requiresApproval?: boolean;
  approvalGranted?: boolean | null;
  /** Whole milliseconds (a fraction is rounded). */
  durationMs?: number;
  /** Overrides the method's severity. */
  severity?: Severity;
  metadata?: Record<string, unknown>;
}

export interface ActionCompletedInput extends ActionEventInput {
  /** The action's result; stored as `metadata.result` (the event model has no result column). */
  result?: unknown;
}

export interface ActionFailedInput extends ActionEventInput {
  /** An Error or any value; its message becomes `errorMessage`. */
  error?: unknown;
  errorMessage?: string;
}

export interface ActionRejectedInput extends ActionEventInput {
  /** Why it was rejected; stored as `reason` and as `errorMessage`. */
  reason?: string | null;
  /** Who denied, when the rejection follows a denial. */
  approver?: string | null;
}

export interface ApprovalInput extends ActionEventInput {
  /** Who granted or denied. */
  approver?: string | null;
  reason?: string | null;
}

/** What each seed-000 method fills in. `undefined` leaves the field to the input. */
interface ActionSpec {
  readonly eventType: EventType;
  readonly severity: Severity;
  readonly success: boolean | null;
  readonly approvalGranted?: boolean | null;
  readonly requiresApproval?: boolean;
  readonly errorFrom?: 'error' | 'reason';
  readonly resultInMetadata?: boolean;
}

function buildActionEvent(spec: ActionSpec, q: QueuedRecord): unknown {
  const i = q.input;
  const c = q.context;
  let metadata = i.metadata;
  if (spec.resultInMetadata && i.result !== undefined) {
    const withResult = defined(i.metadata as Record<string, unknown> | undefined);
    withResult.result = i.result;
    metadata = withResult;
  }
  const message = spec.errorFrom === 'error' ? (i.errorMessage ?? (i.error === undefined ? undefined : errorMessage(i.error))) : spec.errorFrom === 'reason' ? i.reason : undefined;
  return defined({
    kind: 'event',
    eventId: q.id,
    eventType: spec.eventType,
    timestamp: timestampOf(i.timestamp, q.timeMs),
    orgId: i.orgId ?? c.orgId,
    userId: i.userId ?? c.userId,
    agentId: i.agentId ?? c.agentId,
    sessionId: i.sessionId ?? c.sessionId,
    actionId: i.actionId,
    actionName: i.actionName,
    actionParams: i.actionParams,
    interactionId: i.interactionId,
    capabilityType: i.capabilityType,
    capabilitySource: i.capabilitySource,
    capabilityVersion: i.capabilityVersion,
    mcpServerId: i.mcpServerId,
    mcpServerName: i.mcpServerName,
    requiresApproval: spec.requiresApproval ?? i.requiresApproval,
    approvalGranted: spec.approvalGranted === undefined ? i.approvalGranted : spec.approvalGranted,
    approver: i.approver,
    reason: i.reason,
    success: spec.success,
    durationMs: wholeMs(i.durationMs),
    errorMessage: message,
    severity: i.severity ?? spec.severity,
    metadata,
  });
}

export interface ActionMethod {
  readonly name: string;
  readonly build: RecordBuilder;
}

function method(name: string, spec: ActionSpec): ActionMethod {
  return Object.freeze({ name, build: (q: QueuedRecord) => buildActionEvent(spec, q) });
}

/** The seven seed-000 methods: event type, severity, success and approval flags as the seed sets them. */
export const ACTION_METHODS = Object.freeze({
  actionStarted: method('actionStarted', { eventType: 'action_started', severity: 'info', success: null }),
  actionCompleted: method('actionCompleted', { eventType: 'action_completed', severity: 'info', success: true, resultInMetadata: true }),
  actionFailed: method('actionFailed', { eventType: 'action_failed', severity: 'error', success: false, errorFrom: 'error' }),
  actionRejected: method('actionRejected', { eventType: 'action_rejected', severity: 'warning', success: false, errorFrom: 'reason' }),
  approvalRequested: method('approvalRequested', { eventType: 'approval_requested', severity: 'info', success: null, approvalGranted: null, requiresApproval: true }),
  approvalGranted: method('approvalGranted', { eventType: 'approval_granted', severity: 'info', success: null, approvalGranted: true, requiresApproval: true }),
  approvalDenied: method('approvalDenied', { eventType: 'approval_denied', severity: 'warning', success: null, approvalGranted: false, requiresApproval: true }),
});

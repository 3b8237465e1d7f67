import { z } from 'zod';
import { LIMITS } from './limits.js';

/** The seven seed-000 action/approval event types. */
export const EVENT_TYPES = [
  'action_started',
  'action_completed',
  'action_failed',
  'action_rejected',
  'approval_requested',
  'approval_granted',
  'approval_denied',
] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventTypeSchema>;

/** The four seed-000 severities. */
export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const IdSchema = z.string().min(1).max(LIMITS.maxIdLength);
export const UuidSchema = z.uuid({ message: 'must be a UUID (UUIDv7 recommended)' });
export const TimestampSchema = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-22T05:31:52.123Z' });
export const TextSchema = z.string().max(LIMITS.maxStringLength);
export const JsonObjectSchema = z.record(z.string(), z.unknown());

/**
 * A seed-000 audit event: one step of an action's life (started, approval requested/granted/denied,
 * completed/failed/rejected). Field names are the seed's, in camelCase; SQL columns are snake_case.
 */
export const AuditEventSchema = z
  .object({
    kind: z.literal('event'),
    /** Client-made UUID (v7 recommended): the idempotency key. */
    eventId: UuidSchema,
    eventType: EventTypeSchema,
    timestamp: TimestampSchema,
    orgId: IdSchema,
    userId: IdSchema,
    agentId: IdSchema,
    sessionId: IdSchema,
    /** Links an action's events together, and to the tool call of an interaction. */
    actionId: IdSchema,
    actionName: IdSchema,
    actionParams: JsonObjectSchema.default({}),
    /** The interaction this action ran in, when there is one (auditrail addition). */
    interactionId: UuidSchema.nullish(),
    capabilityType: IdSchema.nullish(),
    capabilitySource: IdSchema.nullish(),
    capabilityVersion: IdSchema.nullish(),
    mcpServerId: IdSchema.nullish(),
    mcpServerName: IdSchema.nullish(),
    requiresApproval: z.boolean().default(false),
    approvalGranted: z.boolean().nullish(),
    /** Who granted or denied an approval (auditrail addition). */
    approver: IdSchema.nullish(),
    /** Why an approval was granted/denied or an action rejected (auditrail addition). */
    reason: TextSchema.nullish(),
    success: z.boolean().nullish(),
    durationMs: z.number().int().min(0).default(0),
    errorMessage: TextSchema.nullish(),
    severity: SeveritySchema.default('info'),
    metadata: JsonObjectSchema.default({}),
  })
  .strict();

/** An audit event as stored and returned (defaults applied). */
export type AuditEvent = z.output<typeof AuditEventSchema>;
/** An audit event as sent (defaults optional). */
export type AuditEventInput = z.input<typeof AuditEventSchema>;

import { z } from 'zod';
import { ANALYTICS_BUCKETS, ANALYTICS_GROUPS } from '../../core/analytics.js';
import { AuditEventSchema } from '../../core/audit-event.js';
import { InteractionSchema } from '../../core/interaction.js';
import { SCOPES } from '../auth/key-store.js';

/**
 * Zod schemas of the server's answers: the OpenAPI document is generated from them, and the
 * server's tests parse real answers with them, so the document cannot drift from the behaviour.
 */
export const IssueSchema = z.object({ path: z.string(), message: z.string() });

export const ProblemSchema = z
  .object({
    type: z.string().describe('urn:auditrail:error:<code>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().regex(/^AUDITRAIL_ERR_[A-Z0-9_]+$/).describe('Stable code; see docs/errors.md'),
    hint: z.string().describe('How to solve it'),
    issues: z.array(IssueSchema).optional(),
    instance: z.string().optional().describe('urn:auditrail:request:<request id> (find it in the server log)'),
  });

export const RecordResultSchema = z
  .object({
    index: z.number().int().min(0).describe('Position of the record in the request'),
    id: z.string().nullable().describe('eventId or interactionId; null when the record had none'),
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    code: z.string().optional().describe('For rejected records: the AUDITRAIL_ERR_* code'),
    message: z.string().optional(),
    issues: z.array(IssueSchema).optional(),
  });

export const IngestResponseSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    results: z.array(RecordResultSchema).describe('One per record, in request order'),
  });

export const SessionSummarySchema = z
  .object({
    orgId: z.string(),
    sessionId: z.string(),
    userId: z.string().nullable(),
    clientIp: z.string().nullable(),
    userAgent: z.string().nullable(),
    firstSeen: z.string(),
    lastSeen: z.string(),
    interactionCount: z.number().int(),
  });

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page') });

export const EventPageSchema = pageOf(AuditEventSchema);
export const InteractionPageSchema = pageOf(InteractionSchema);
export const SessionPageSchema = pageOf(SessionSummarySchema);

export const InteractionDetailSchema = InteractionSchema.extend({
  events: z.array(AuditEventSchema).describe('Action events linked to this interaction (approvals, rejections), oldest first'),
});

export const SessionDetailSchema = z
  .object({ session: SessionSummarySchema, interactions: z.array(InteractionSchema), nextCursor: z.string().nullable() });

export const AnalyticsRowSchema = z
  .object({
    bucket: z.string(),
    group: z.string().nullable(),
    count: z.number().int(),
    errors: z.number().int(),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
    p99Ms: z.number().nullable(),
    inputTokens: z.number(),
    outputTokens: z.number(),
  });

export const AnalyticsResponseSchema = z
  .object({
    bucket: z.enum(ANALYTICS_BUCKETS),
    groupBy: z.enum(ANALYTICS_GROUPS).nullable(),
    from: z.string(),
    to: z.string(),
    rows: z.array(AnalyticsRowSchema),
  });

export const ApiKeyInfoSchema = z
  .object({
    keyId: z.string(),
    orgId: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    label: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  });

export const CreatedKeySchema = ApiKeyInfoSchema.extend({ token: z.string().describe('The API key. Shown once: only its hash is stored.') });

export const WhoamiSchema = z.object({ keyId: z.string(), orgId: z.string(), scopes: z.array(z.enum(SCOPES)) });

export const ReadyzSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
  });

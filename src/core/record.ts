import { z } from 'zod';
import { AuditEventSchema, type AuditEvent } from './audit-event.js';
import { AuditrailError, type ErrorIssue } from './errors.js';
import { InteractionSchema, type Interaction } from './interaction.js';

/** Everything auditrail stores is one of these two record kinds, told apart by `kind`. */
export const AuditRecordSchema = z.discriminatedUnion('kind', [AuditEventSchema, InteractionSchema]);
export type AuditRecord = AuditEvent | Interaction;
export type AuditRecordInput = z.input<typeof AuditRecordSchema>;
export type RecordKind = AuditRecord['kind'];

/** The idempotency key of a record. */
export function recordId(record: AuditRecord): string {
  return record.kind === 'event' ? record.eventId : record.interactionId;
}

/** The org of a record. */
export function recordOrg(record: AuditRecord): string {
  return record.orgId;
}

export type ParseResult = { ok: true; record: AuditRecord } | { ok: false; error: AuditrailError };

/** Validates one record; never throws. Each problem becomes an issue with its field path. */
export function parseRecord(input: unknown): ParseResult {
  const result = AuditRecordSchema.safeParse(input);
  if (result.success) return { ok: true, record: result.data };
  return { ok: false, error: new AuditrailError('RECORD_INVALID', summarize(toIssues(result.error)), { issues: toIssues(result.error) }) };
}

/** Validates one record or throws AUDITRAIL_ERR_RECORD_INVALID. */
export function parseRecordOrThrow(input: unknown): AuditRecord {
  const r = parseRecord(input);
  if (!r.ok) throw r.error;
  return r.record;
}

export function toIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

function summarize(issues: readonly ErrorIssue[]): string {
  const head = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
  return issues.length > 3 ? `${head}; and ${issues.length - 3} more` : head;
}

import { AuditrailError, type ErrorIssue } from '../../core/errors.js';
import { parseRecord, type AuditRecord } from '../../core/record.js';
import type { RedactRecord } from './server-redaction.js';

/** The answer for one record of a batch. */
export interface RecordResult {
  /** Position in the request. */
  readonly index: number;
  /** The record's id (eventId or interactionId), null when it had none. */
  readonly id: string | null;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly code?: string;
  readonly message?: string;
  readonly issues?: readonly ErrorIssue[];
}

export interface PreparedBatch {
  /** Results known before storage: the rejected records (by index). */
  readonly rejected: Map<number, RecordResult>;
  /** Valid records to store, with their positions in the request. */
  readonly records: AuditRecord[];
  readonly indexes: number[];
}

/**
 * Validates each record on its own (one bad record never sinks the batch). The org comes from the
 * API key: a record without orgId gets the key's org; a record naming another org is rejected.
 * The org's redaction (when on) runs last, on the validated record, before anything is queued,
 * stored or chained; it never rejects a record: what it cannot redact is stored as the failure
 * marker (fail closed, see server-redaction.ts).
 */
export function prepareRecords(values: readonly unknown[], orgId: string, redact?: RedactRecord): PreparedBatch {
  const rejected = new Map<number, RecordResult>();
  const records: AuditRecord[] = [];
  const indexes: number[] = [];
  values.forEach((value, index) => {
    const reject = (err: AuditrailError) =>
      rejected.set(index, { index, id: claimedId(value), status: 'rejected', code: err.code, message: err.message, ...(err.issues.length ? { issues: err.issues } : {}) });
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      reject(new AuditrailError('RECORD_INVALID', 'a record must be a JSON object', { issues: [{ path: '(root)', message: 'expected an object' }] }));
      return;
    }
    const claimed = (value as { orgId?: unknown }).orgId;
    if (claimed !== undefined && claimed !== null && claimed !== orgId) {
      reject(new AuditrailError('ORG_MISMATCH', `the record names org ${JSON.stringify(claimed)} but the API key belongs to ${JSON.stringify(orgId)}`, { issues: [{ path: 'orgId', message: 'not the org of the API key' }] }));
      return;
    }
    // the value is the request's own freshly parsed JSON: set the org in place rather than copy it
    (value as { orgId?: unknown }).orgId = orgId;
    const parsed = parseRecord(value);
    if (!parsed.ok) {
      reject(parsed.error);
      return;
    }
    records.push(redact ? redact(parsed.record) : parsed.record);
    indexes.push(index);
  });
  return { rejected, records, indexes };
}

function claimedId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { eventId?: unknown; interactionId?: unknown };
  const id = v.eventId ?? v.interactionId;
  return typeof id === 'string' ? id.slice(0, 256) : null;
}

/** Merges pre-storage rejections with the storage outcomes into one result per input record. */
export function mergeResults(total: number, batch: PreparedBatch, stored: readonly { id: string; status: 'accepted' | 'duplicate' }[]): RecordResult[] {
  const out: RecordResult[] = new Array<RecordResult>(total);
  for (const [i, r] of batch.rejected) out[i] = r;
  batch.indexes.forEach((index, k) => {
    const s = stored[k]!;
    out[index] = { index, id: s.id, status: s.status };
  });
  return out;
}

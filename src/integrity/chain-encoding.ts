import type { AuditRecord } from '../core/record.js';
import { canonicalRecordJson } from './canonical-json.js';

/** Version of the chain encoding; it is part of every hashed entry (`"v":1`). */
export const CHAIN_ENCODING_VERSION = 1;

/**
 * A record's chain entry before its sequence number is known: the canonical entry is
 * `prefix + seq + suffix`. Splitting it lets the verifier try a record at another position
 * (swapped or renumbered rows) without canonicalizing it again.
 */
export interface EntryParts {
  /** UTF-8 bytes of everything before the seq: encoded once, so hashing under the lock only hashes. */
  readonly prefix: Buffer;
  readonly suffix: string;
}

/**
 * The parts of the canonical chain entry of a record in an org's chain: the JCS text of
 * `{"org": orgId, "record": <record after normalizeRecord, nulls left out>, "seq": seq, "v": 1}`,
 * whose members are already in JCS order (org < record < seq < v).
 */
export function entryParts(orgId: string, record: AuditRecord): EntryParts {
  return {
    prefix: Buffer.from(`{"org":${JSON.stringify(orgId)},"record":${canonicalRecordJson(record)},"seq":`, 'utf8'),
    suffix: `,"v":${CHAIN_ENCODING_VERSION}}`,
  };
}

/** The canonical chain entry as text (hash its UTF-8 bytes). */
export function canonicalEntry(orgId: string, seq: number, record: AuditRecord): string {
  const p = entryParts(orgId, record);
  return `${p.prefix.toString('utf8')}${seq}${p.suffix}`;
}

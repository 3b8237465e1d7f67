import { createHash } from 'node:crypto';
import { AuditrailError } from '../core/errors.js';
import { recordId, type AuditRecord } from '../core/record.js';
import { entryParts, type EntryParts } from './chain-encoding.js';

/** SHA-256 output length: every chain hash, Merkle hash and head hash has it. */
export const HASH_BYTES = 32;

/** The head of an org's chain: the last sequence number and its hash (seq 0 = genesis). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: Uint8Array;
}

/** What the writer stores on a record: its place and hash in the org's chain. */
export interface ChainEntry {
  readonly seq: number;
  readonly hash: Uint8Array;
}

/** The hash before the first record of an org: SHA-256(UTF-8("auditrail.genesis.v1:" + orgId)). */
export function genesisHash(orgId: string): Buffer {
  return createHash('sha256').update(`auditrail.genesis.v1:${orgId}`, 'utf8').digest();
}

/** The head of an org's chain before any record: seq 0 and the genesis hash. */
export function genesisHead(orgId: string): ChainHead {
  return { seq: 0, hash: genesisHash(orgId) };
}

/** hash(n) = SHA-256(hash(n-1) || UTF-8(canonical entry n)). */
export function chainHash(prevHash: Uint8Array, parts: EntryParts, seq: number): Buffer {
  return createHash('sha256').update(prevHash).update(parts.prefix).update(`${seq}${parts.suffix}`, 'latin1').digest();
}

export interface ChainBatchResult {
  /** One entry per input record, in input order: seq head.seq+1, head.seq+2, ... */
  readonly entries: readonly ChainEntry[];
  /** The new head (the input head when the batch is empty). */
  readonly head: ChainHead;
}

/**
 * Chains a batch for one org: given the current head and the records in the order they are
 * written, returns each record's seq and hash and the new head. Pure: nothing is kept, so a
 * rolled-back transaction just discards the result. The caller must hold the org's chain lock
 * from reading the head until the rows and the new head are committed (docs/integrity.md).
 *
 * `prepared`: the records' entryParts, computed beforehand (outside the lock, e.g. while the
 * previous batch is being written): only the hashing then runs under the lock.
 *
 * Throws AUDITRAIL_ERR_INTEGRITY_INPUT_INVALID when a record belongs to another org, the head is
 * malformed, or a record cannot be encoded; nothing is returned then.
 */
export function chainBatch(orgId: string, head: ChainHead, records: readonly AuditRecord[], prepared?: readonly EntryParts[]): ChainBatchResult {
  assertHead(head);
  const entries: ChainEntry[] = new Array<ChainEntry>(records.length);
  let seq = head.seq;
  let hash: Uint8Array = head.hash;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.orgId !== orgId) {
      throw new AuditrailError('INTEGRITY_INPUT_INVALID', `record ${recordId(record)} belongs to org "${record.orgId}", not to the chain of "${orgId}"`);
    }
    seq += 1;
    hash = chainHash(hash, prepared?.[i] ?? entryParts(orgId, record), seq);
    entries[i] = { seq, hash };
  }
  return { entries, head: { seq, hash } };
}

export function assertHead(head: ChainHead): void {
  if (!Number.isSafeInteger(head.seq) || head.seq < 0 || !(head.hash instanceof Uint8Array) || head.hash.byteLength !== HASH_BYTES) {
    throw new AuditrailError('INTEGRITY_INPUT_INVALID', `chain head must be {seq: integer >= 0, hash: ${HASH_BYTES} bytes}`);
  }
}

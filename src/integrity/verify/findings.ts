import type { Checkpoint, CheckpointKind } from '../checkpoint.js';

/**
 * What verify reports (docs/integrity.md, "Reading verify's findings"). Every finding has a
 * stable `kind`, a `severity` (`error`: evidence of tampering or loss; `warning`: something to
 * look at that the chain itself still covers), a sentence for people, and its details.
 */
export type FindingSeverity = 'error' | 'warning';

/** Which checkpoint a finding is about: where it was read and what it covers. */
export interface CheckpointRef {
  readonly source: 'database' | 'external' | 'both';
  readonly kind: CheckpointKind;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly time: string;
  readonly keyId: string;
}

export type FindingDetails =
  /** The record's content does not produce its stored hash: a field was changed after it was written. `contentOfSeq`: the content now here is the original content of that seq (copied). */
  | { kind: 'record-altered'; seq: number; recordId: string; contentOfSeq?: number }
  /** No record holds these seqs: deleted. `renumbered`: the records after them were renumbered to close the gap. */
  | { kind: 'records-missing'; fromSeq: number; toSeq: number; renumbered?: boolean }
  /** A record that fits nowhere in the chain: a second record with the same seq, or one pushed in with the rest renumbered. */
  | { kind: 'record-inserted'; seq: number; recordId: string; reason: 'duplicate-seq' | 'renumbered' }
  /** Two records exchanged places: their seqs (`how: 'seq'`) or their contents (`how: 'content'`). */
  | { kind: 'records-swapped'; seqs: readonly [number, number]; recordIds: readonly [string, string]; how: 'seq' | 'content' }
  /** Intact records stored under other seqs: the records at fromSeq..toSeq were written at seq + offset. */
  | { kind: 'records-moved'; fromSeq: number; toSeq: number; offset: number }
  /** Several records claim one seq and the chain does not tell which one is genuine. */
  | { kind: 'seq-conflict'; seq: number; recordIds: readonly string[] }
  /** The storage returned records out of seq order (a storage bug, not tampering); these were skipped. */
  | { kind: 'records-out-of-order'; seq: number; afterSeq: number; count: number }
  /** Stored records without seq/hash: written outside the chain writer (inserted with SQL). */
  | { kind: 'records-unchained'; count: number; recordIds: readonly string[] }
  /** The records stop at lastSeq but the database's own chain head or checkpoints say expectedSeq: the tail was deleted. */
  | { kind: 'tail-truncated'; lastSeq: number; expectedSeq: number; evidence: 'chain-head' | 'checkpoint'; externalSeq?: number }
  /** The database is consistent up to lastSeq, but the external log has signed checkpoints up to externalSeq: restored to an older state. */
  | { kind: 'database-behind-external-log'; lastSeq: number; externalSeq: number; externalTime: string }
  /** Records after the stored chain head: appended without the writer. */
  | { kind: 'records-beyond-head'; headSeq: number; lastSeq: number }
  /** The chain head row does not hold the hash of the record at its seq. */
  | { kind: 'head-mismatch'; seq: number; headHash: string; recordHash: string }
  /** A signed checkpoint does not match what the records recompute to. `recordFindingsInRange`: 0 means the period was rewritten consistently (re-hashed). */
  | { kind: 'checkpoint-mismatch'; checkpoint: CheckpointRef; field: 'headHash' | 'merkleRoot'; signed: string; recomputed: string; recordFindingsInRange: number }
  /** The checkpoint's signature does not verify with its key: forged or altered. */
  | { kind: 'checkpoint-signature-invalid'; checkpoint: CheckpointRef }
  /** The checkpoint names a key the verifier was not given: it cannot be trusted. */
  | { kind: 'checkpoint-key-unknown'; checkpoint: CheckpointRef; keyId: string }
  /** A checkpoint row or log line that is not a valid checkpoint of this org. */
  | { kind: 'checkpoint-malformed'; source: 'database' | 'external'; line?: number; message: string }
  /** Validly signed checkpoints disagree on the head at one seq: two histories (a restore followed by new writes). */
  | { kind: 'checkpoint-conflict'; seq: number; checkpoints: readonly CheckpointRef[] }
  /** The external log holds a checkpoint the database lacks: its row was deleted. */
  | { kind: 'checkpoint-missing-from-database'; checkpoint: CheckpointRef }
  /** The database holds a checkpoint the external log lacks: the log append failed or the log lost lines. */
  | { kind: 'checkpoint-missing-from-external-log'; checkpoint: CheckpointRef };

export type FindingKind = FindingDetails['kind'];

export type Finding = FindingDetails & {
  readonly severity: FindingSeverity;
  readonly message: string;
};

const WARNINGS: ReadonlySet<FindingKind> = new Set(['records-out-of-order', 'checkpoint-missing-from-external-log']);

export function severityOf(kind: FindingKind): FindingSeverity {
  return WARNINGS.has(kind) ? 'warning' : 'error';
}

export function finding(details: FindingDetails): Finding {
  return { ...details, severity: severityOf(details.kind), message: describe(details) };
}

export function checkpointRef(c: Checkpoint, source: CheckpointRef['source']): CheckpointRef {
  return { source, kind: c.kind, fromSeq: c.fromSeq, toSeq: c.toSeq, time: c.time, keyId: c.keyId };
}

/** The seq a finding is about, to sort findings (checkpoint findings by their period's end). */
export function findingSeq(f: FindingDetails): number {
  switch (f.kind) {
    case 'records-missing':
    case 'records-moved':
      return f.fromSeq;
    case 'records-swapped':
      return f.seqs[0];
    case 'records-unchained':
      return 0;
    case 'tail-truncated':
    case 'database-behind-external-log':
      return f.lastSeq + 1;
    case 'records-beyond-head':
      return f.headSeq + 1;
    case 'checkpoint-mismatch':
    case 'checkpoint-signature-invalid':
    case 'checkpoint-key-unknown':
    case 'checkpoint-missing-from-database':
    case 'checkpoint-missing-from-external-log':
      return f.checkpoint.toSeq;
    case 'checkpoint-malformed':
      return Number.MAX_SAFE_INTEGER;
    default:
      return f.seq;
  }
}

function cp(c: CheckpointRef): string {
  const range = c.toSeq < c.fromSeq ? `idle at seq ${c.toSeq}` : `seqs ${c.fromSeq}..${c.toSeq}`;
  const from = c.source === 'both' ? 'database and external log' : c.source === 'external' ? 'external log' : 'database';
  return `${c.kind} checkpoint of ${c.time} (${range}, ${from})`;
}

function describe(f: FindingDetails): string {
  switch (f.kind) {
    case 'record-altered':
      return `record ${f.recordId} (seq ${f.seq}) was changed after it was written: its content no longer matches its stored hash${f.contentOfSeq === undefined ? '' : `; it now holds the content written at seq ${f.contentOfSeq}`}`;
    case 'records-missing':
      return `${f.toSeq - f.fromSeq + 1} record(s) deleted: no record holds seq ${f.fromSeq === f.toSeq ? f.fromSeq : `${f.fromSeq}..${f.toSeq}`}${f.renumbered ? ' (the records after them were renumbered to hide the gap)' : '; the record after the gap cannot be checked against its predecessor'}`;
    case 'record-inserted':
      return f.reason === 'duplicate-seq'
        ? `record ${f.recordId} was inserted: it claims seq ${f.seq}, which another record holds, and the chain does not continue from it`
        : `record ${f.recordId} was inserted at seq ${f.seq} and the records after it renumbered`;
    case 'records-swapped':
      return `records ${f.recordIds[0]} (seq ${f.seqs[0]}) and ${f.recordIds[1]} (seq ${f.seqs[1]}) were swapped (${f.how === 'seq' ? 'their seqs exchanged' : 'their contents exchanged'})`;
    case 'records-moved':
      return `the intact record(s) at seq ${f.fromSeq === f.toSeq ? f.fromSeq : `${f.fromSeq}..${f.toSeq}`} were written at seq ${f.fromSeq + f.offset}${f.toSeq === f.fromSeq ? '' : `..${f.toSeq + f.offset}`}: renumbered`;
    case 'seq-conflict':
      return `${f.recordIds.length} records claim seq ${f.seq} (${f.recordIds.join(', ')}) and none continues the chain unambiguously`;
    case 'records-out-of-order':
      return `the storage returned ${f.count} record(s) out of seq order (seq ${f.seq} after ${f.afterSeq}); they were skipped: a storage bug, not tampering`;
    case 'records-unchained':
      return `${f.count} stored record(s) have no seq or hash: they were written outside the chain writer (e.g. ${f.recordIds.slice(0, 3).join(', ')})`;
    case 'tail-truncated':
      return `the tail was deleted: records stop at seq ${f.lastSeq} but the database's ${f.evidence === 'chain-head' ? 'chain head' : 'signed checkpoints'} reach seq ${f.expectedSeq}${f.externalSeq === undefined ? '' : ` (external log: ${f.externalSeq})`}`;
    case 'database-behind-external-log':
      return `the database was restored to an older state (or its tail deleted with its checkpoints): it ends at seq ${f.lastSeq} but the external log has a signed checkpoint at seq ${f.externalSeq} (${f.externalTime})`;
    case 'records-beyond-head':
      return `records after the chain head (seq ${f.headSeq}) up to seq ${f.lastSeq} were appended without the chain writer`;
    case 'head-mismatch':
      return `the chain head says seq ${f.seq} has hash ${f.headHash.slice(0, 16)}… but the record there has ${f.recordHash.slice(0, 16)}…`;
    case 'checkpoint-mismatch':
      return `the ${cp(f.checkpoint)} signed ${f.field} ${f.signed.slice(0, 16)}… but the stored records give ${f.recomputed.slice(0, 16)}…${
        f.recordFindingsInRange === 0 ? ': the records of this period were rewritten and re-hashed (or the database holds another history)' : ` (explained by ${f.recordFindingsInRange} record finding(s) in its range)`
      }`;
    case 'checkpoint-signature-invalid':
      return `the ${cp(f.checkpoint)} has an invalid signature: it was forged or altered`;
    case 'checkpoint-key-unknown':
      return `the ${cp(f.checkpoint)} is signed by key ${f.keyId}, which is not among the trusted public keys`;
    case 'checkpoint-malformed':
      return `${f.source === 'external' ? `external log${f.line === undefined ? '' : ` line ${f.line}`}` : 'a database checkpoint'} is not a valid checkpoint: ${f.message}`;
    case 'checkpoint-conflict':
      return `signed checkpoints disagree on the head at seq ${f.seq}: two histories exist (restored from an older state, then written again): ${f.checkpoints.map(cp).join('; ')}`;
    case 'checkpoint-missing-from-database':
      return `the ${cp(f.checkpoint)} is in the external log but not in the database: its row was deleted`;
    case 'checkpoint-missing-from-external-log':
      return `the ${cp(f.checkpoint)} is not in the external log (the append failed, or the log lost lines)`;
  }
}

import { AuditrailError } from '../core/errors.js';
import type { AuditRecord } from '../core/record.js';
import type { EntryParts } from './chain-encoding.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';
import type { CheckpointPolicy } from './checkpoint-policy.js';
import { assertHead, chainBatch, genesisHead, type ChainEntry, type ChainHead } from './hash-chain.js';
import { fromHex, sameBytes } from './hex.js';
import type { SigningKeyring } from './keyring.js';
import { MerkleAccumulator } from './merkle.js';

/**
 * The writer-side state of one org's chain: its head and the period since the last checkpoint
 * (an O(log n) Merkle frontier). Plain immutable data: every function returns a new state, so a
 * writer keeps the state it had when a transaction rolls back, and can persist or rebuild it.
 */
export interface OrgChainState {
  readonly orgId: string;
  readonly head: ChainHead;
  /** First seq of the period the next checkpoint covers (head.seq + 1 when the period is empty). */
  readonly periodFromSeq: number;
  /** The period's Merkle frontier: its leaf count and perfect-subtree roots (MerkleAccumulator). */
  readonly periodSize: number;
  readonly periodNodes: readonly Uint8Array[];
  /** When the first record of the period was chained; undefined while the period is empty. */
  readonly periodStartedAtMs: number | undefined;
  /** When the last checkpoint was cut; undefined before the first. */
  readonly lastCheckpointAtMs: number | undefined;
}

/** A new org: genesis head, empty period. */
export function startOrgChain(orgId: string): OrgChainState {
  return { orgId, head: genesisHead(orgId), periodFromSeq: 1, periodSize: 0, periodNodes: [], periodStartedAtMs: undefined, lastCheckpointAtMs: undefined };
}

export interface ResumeOrgChainInput {
  readonly orgId: string;
  /** The org's chain_heads row (undefined when the org has none: genesis). */
  readonly head: ChainHead | undefined;
  /** The org's latest periodic checkpoint from the database, if any. */
  readonly lastCheckpoint: Checkpoint | undefined;
  /** Stored hashes of seqs lastCheckpoint.toSeq+1 .. head.seq, in seq order. */
  readonly periodHashes: Iterable<Uint8Array>;
  /** When to consider the open period started (e.g. the oldest of its records' write times). */
  readonly periodStartedAtMs?: number;
}

/**
 * Rebuilds the state after a restart from what the database holds. Throws
 * AUDITRAIL_ERR_INTEGRITY_INPUT_INVALID when the hashes do not fit the head and checkpoint (a
 * gap or a changed row: run verify before writing on top of it).
 */
export function resumeOrgChain(input: ResumeOrgChainInput): OrgChainState {
  const head = input.head ?? genesisHead(input.orgId);
  assertHead(head);
  const last = input.lastCheckpoint;
  const fromSeq = last ? last.toSeq + 1 : 1;
  const acc = new MerkleAccumulator();
  let lastHash: Uint8Array | undefined = last ? fromHex(last.headHash) : undefined;
  for (const h of input.periodHashes) {
    acc.add(h);
    lastHash = h;
  }
  if (fromSeq + acc.size - 1 !== head.seq) {
    throw new AuditrailError('INTEGRITY_INPUT_INVALID', `org ${input.orgId}: ${acc.size} hashes after checkpoint seq ${fromSeq - 1} do not reach head seq ${head.seq}`);
  }
  if (head.seq > 0 && lastHash && !sameBytes(lastHash, head.hash)) {
    throw new AuditrailError('INTEGRITY_INPUT_INVALID', `org ${input.orgId}: the hash stored at seq ${head.seq} is not the chain head's`);
  }
  return {
    orgId: input.orgId,
    head,
    periodFromSeq: fromSeq,
    periodSize: acc.size,
    periodNodes: acc.nodes,
    periodStartedAtMs: acc.size > 0 ? input.periodStartedAtMs ?? Date.now() : undefined,
    lastCheckpointAtMs: last ? Date.parse(last.time) : undefined,
  };
}

/**
 * Chains a batch (records in write order) and adds their hashes to the period. Pure.
 * `prepared`: the records' entryParts computed beforehand (see chainBatch).
 */
export function appendToOrgChain(
  state: OrgChainState,
  records: readonly AuditRecord[],
  nowMs: number,
  prepared?: readonly EntryParts[],
): { state: OrgChainState; entries: readonly ChainEntry[] } {
  const { entries, head } = chainBatch(state.orgId, state.head, records, prepared);
  if (entries.length === 0) return { state, entries };
  const acc = new MerkleAccumulator(state.periodSize, state.periodNodes);
  for (const e of entries) acc.add(e.hash);
  return {
    entries,
    state: { ...state, head, periodSize: acc.size, periodNodes: acc.nodes, periodStartedAtMs: state.periodStartedAtMs ?? nowMs },
  };
}

/** Whether the policy wants a checkpoint now: a full period, an old enough one, or an idle head to re-sign. */
export function checkpointDue(state: OrgChainState, policy: CheckpointPolicy, nowMs: number): boolean {
  if (state.periodSize >= policy.everyRecords) return true;
  if (state.periodSize > 0) return nowMs - (state.periodStartedAtMs ?? nowMs) >= policy.everyMs;
  return state.lastCheckpointAtMs !== undefined && nowMs - state.lastCheckpointAtMs >= policy.idleEveryMs;
}

/** Cuts and signs the checkpoint of the current period (empty = idle checkpoint) and opens the next. */
export function cutCheckpoint(state: OrgChainState, keyring: SigningKeyring, nowMs: number): { state: OrgChainState; checkpoint: Checkpoint } {
  const acc = new MerkleAccumulator(state.periodSize, state.periodNodes);
  const checkpoint = signCheckpoint(
    { orgId: state.orgId, kind: 'periodic', fromSeq: state.periodFromSeq, toSeq: state.head.seq, headHash: state.head.hash, merkleRoot: acc.root(), timeMs: nowMs },
    keyring,
  );
  return {
    checkpoint,
    state: { ...state, periodFromSeq: state.head.seq + 1, periodSize: 0, periodNodes: [], periodStartedAtMs: undefined, lastCheckpointAtMs: nowMs },
  };
}

export interface SealInput {
  readonly orgId: string;
  /** First seq retention drops now (the previous seal's toSeq + 1, or 1). */
  readonly fromSeq: number;
  /** Hashes of the records fromSeq..toSeq in seq order, as stored, read before they are dropped. */
  readonly recordHashes: Iterable<Uint8Array>;
}

/**
 * The sealing checkpoint retention writes (in the database and the external log) before dropping
 * records fromSeq..toSeq: its head is the last dropped record's hash, where verify starts, and its
 * Merkle root lets an archived copy of the dropped records be checked later.
 */
export function sealCheckpoint(input: SealInput, keyring: SigningKeyring, nowMs: number): Checkpoint {
  const acc = new MerkleAccumulator();
  let last: Uint8Array | undefined;
  for (const h of input.recordHashes) {
    acc.add(h);
    last = h;
  }
  if (!last) throw new AuditrailError('INTEGRITY_INPUT_INVALID', `org ${input.orgId}: a seal needs the hashes of the records it drops`);
  return signCheckpoint(
    { orgId: input.orgId, kind: 'seal', fromSeq: input.fromSeq, toSeq: input.fromSeq + acc.size - 1, headHash: last, merkleRoot: acc.root(), timeMs: nowMs },
    keyring,
  );
}

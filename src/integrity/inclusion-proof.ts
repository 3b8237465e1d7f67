import { createHash } from 'node:crypto';
import { AuditrailError } from '../core/errors.js';
import { recordId, type AuditRecord } from '../core/record.js';
import { canonicalEntry } from './chain-encoding.js';
import { checkCheckpointSignature, checkpointSize, parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { genesisHash } from './hash-chain.js';
import { fromHex, sameBytes, toHex } from './hex.js';
import { proveInclusion, rootFromInclusion } from './inclusion.js';
import type { PublicKeyring } from './keyring.js';
import { merkleLeafHash, merkleRoot } from './merkle.js';

export const PROOF_TYPE = 'auditrail.inclusion-proof.v1';

/**
 * Proof that one record is in an org's chain, checkable by a third party with SHA-256, Ed25519
 * and the org's public key (docs/integrity.md, "Inclusion proofs"):
 * hash = SHA-256(prevHash || UTF-8(entry)); leaf = SHA-256(0x00 || hash); the audit path leads
 * from leaf to checkpoint.merkleRoot; the checkpoint's signature verifies.
 */
export interface InclusionProof {
  readonly type: typeof PROOF_TYPE;
  readonly orgId: string;
  readonly seq: number;
  readonly recordId: string;
  /** The canonical chain entry: the exact text that was hashed (it holds the record). */
  readonly entry: string;
  readonly prevHash: string;
  readonly hash: string;
  /** seq - checkpoint.fromSeq */
  readonly leafIndex: number;
  /** The checkpoint's record count. */
  readonly treeSize: number;
  /** RFC 6962 audit path, leaf to root, hex. */
  readonly auditPath: readonly string[];
  readonly checkpoint: Checkpoint;
}

export interface BuildProofInput {
  readonly orgId: string;
  readonly seq: number;
  readonly record: AuditRecord;
  /**
   * The stored hash of seq - 1. Needed only when seq is the first of its period (then it is the
   * previous checkpoint's headHash, or the genesis hash for seq 1, taken when omitted); otherwise
   * it is read from periodHashes.
   */
  readonly prevHash?: Uint8Array;
  /** The checkpoint whose period holds seq. */
  readonly checkpoint: Checkpoint;
  /** Stored hashes of the period checkpoint.fromSeq..toSeq, in seq order. */
  readonly periodHashes: readonly Uint8Array[];
}

/** Builds the proof; throws AUDITRAIL_ERR_PROOF_UNAVAILABLE when the stored data does not support it. */
export function buildInclusionProof(input: BuildProofInput): InclusionProof {
  const { checkpoint: c, seq } = input;
  if (seq < c.fromSeq || seq > c.toSeq) throw unavailable(`seq ${seq} is outside the checkpoint's period ${c.fromSeq}..${c.toSeq}`);
  if (input.periodHashes.length !== checkpointSize(c)) throw unavailable(`the period ${c.fromSeq}..${c.toSeq} has ${input.periodHashes.length} stored hashes, not ${checkpointSize(c)}`);
  const leafIndex = seq - c.fromSeq;
  const prevHash = leafIndex > 0 ? input.periodHashes[leafIndex - 1]! : seq === 1 ? genesisHash(input.orgId) : input.prevHash;
  if (!prevHash) throw unavailable(`seq ${seq} opens its period: give the hash of seq ${seq - 1} (the previous checkpoint's headHash)`);
  const entry = canonicalEntry(input.orgId, seq, input.record);
  const hash = createHash('sha256').update(prevHash).update(entry, 'utf8').digest();
  if (!sameBytes(hash, input.periodHashes[leafIndex]!)) throw unavailable(`record ${recordId(input.record)} at seq ${seq} does not match its stored hash`);
  if (toHex(merkleRoot(input.periodHashes)) !== c.merkleRoot) throw unavailable(`the stored hashes of ${c.fromSeq}..${c.toSeq} do not match the checkpoint's Merkle root`);
  const path = proveInclusion(leafIndex, input.periodHashes.map((h) => merkleLeafHash(h)));
  return {
    type: PROOF_TYPE,
    orgId: input.orgId,
    seq,
    recordId: recordId(input.record),
    entry,
    prevHash: toHex(prevHash),
    hash: toHex(hash),
    leafIndex,
    treeSize: path.treeSize,
    auditPath: path.path.map(toHex),
    checkpoint: c,
  };
}

export interface ProofCheck {
  readonly ok: boolean;
  /** Every reason the proof fails, empty when ok. */
  readonly problems: readonly string[];
}

/** Checks a proof as a third party would; never throws. */
export function verifyInclusionProof(proof: InclusionProof, keys: PublicKeyring): ProofCheck {
  const problems: string[] = [];
  const parsed = parseCheckpoint(proof.checkpoint);
  if (!parsed.ok) return { ok: false, problems: [`checkpoint: ${parsed.message}`] };
  const c = parsed.checkpoint;
  const sig = checkCheckpointSignature(c, keys);
  if (sig !== 'valid') problems.push(sig === 'unknown-key' ? `checkpoint signed by unknown key ${c.keyId}` : 'checkpoint signature invalid');
  if (c.orgId !== proof.orgId) problems.push(`checkpoint is of org ${c.orgId}, not ${proof.orgId}`);
  if (proof.leafIndex !== proof.seq - c.fromSeq || proof.treeSize !== checkpointSize(c)) problems.push('leafIndex/treeSize do not match the seq and the checkpoint period');
  const entryProblem = checkEntry(proof);
  if (entryProblem) problems.push(entryProblem);
  const prev = fromHex(proof.prevHash);
  const path = proof.auditPath.map((h) => fromHex(h));
  if (!prev || prev.length !== 32 || path.some((h) => !h || h.length !== 32)) return { ok: false, problems: [...problems, 'prevHash and auditPath must be 32-byte hex hashes'] };
  const hash = createHash('sha256').update(prev).update(proof.entry, 'utf8').digest();
  if (toHex(hash) !== proof.hash) problems.push('SHA-256(prevHash || entry) is not the stated hash');
  const root = rootFromInclusion(merkleLeafHash(hash), { leafIndex: proof.leafIndex, treeSize: proof.treeSize, path: path as Buffer[] });
  if (!root || toHex(root) !== c.merkleRoot) problems.push("the audit path does not lead to the checkpoint's Merkle root");
  return { ok: problems.length === 0, problems };
}

function checkEntry(proof: InclusionProof): string | undefined {
  try {
    const e = JSON.parse(proof.entry) as { org?: unknown; seq?: unknown; record?: { kind?: unknown; eventId?: unknown; interactionId?: unknown } };
    if (e.org !== proof.orgId || e.seq !== proof.seq) return 'the entry names another org or seq than the proof';
    // the record the proof names must be the one inside the hashed entry
    const inner = e.record?.kind === 'event' ? e.record.eventId : e.record?.kind === 'interaction' ? e.record.interactionId : undefined;
    if (typeof inner !== 'string' || typeof proof.recordId !== 'string' || inner.toLowerCase() !== proof.recordId.toLowerCase()) return 'the entry holds another record than the proof names';
    return undefined;
  } catch {
    return 'the entry is not JSON';
  }
}

function unavailable(detail: string): AuditrailError {
  return new AuditrailError('PROOF_UNAVAILABLE', detail);
}

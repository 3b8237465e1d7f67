import { checkCheckpointSignature, parseCheckpoint, type Checkpoint } from '../checkpoint.js';
import type { ChainHead } from '../hash-chain.js';
import { fromHex } from '../hex.js';
import type { PublicKeyring } from '../keyring.js';

export interface RangeStart {
  /** Pass as ChainVerifierOptions.anchor (undefined: start from genesis or the latest seal). */
  readonly anchor: ChainHead | undefined;
  /** Stream the records from this seq on. */
  readonly readFromSeq: number;
}

/**
 * Where to start verifying a range that begins at `fromSeq`: the end of the latest validly signed
 * checkpoint before it, so that the range's first records are checked against a signed head
 * rather than a stored hash. Returns readFromSeq 1 and no anchor when no checkpoint precedes it.
 */
export function findRangeAnchor(orgId: string, checkpoints: readonly unknown[], keys: PublicKeyring, fromSeq: number): RangeStart {
  let best: Checkpoint | undefined;
  for (const raw of checkpoints) {
    const r = parseCheckpoint(raw);
    if (!r.ok || r.checkpoint.orgId !== orgId || r.checkpoint.toSeq >= fromSeq) continue;
    if (best && r.checkpoint.toSeq <= best.toSeq) continue;
    if (checkCheckpointSignature(r.checkpoint, keys) === 'valid') best = r.checkpoint;
  }
  if (!best || best.toSeq === 0) return { anchor: undefined, readFromSeq: 1 };
  return { anchor: { seq: best.toSeq, hash: fromHex(best.headHash)! }, readFromSeq: best.toSeq + 1 };
}

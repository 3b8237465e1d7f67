import { AuditrailError } from '../core/errors.js';
import { merkleNodeHash } from './merkle.js';
import { sameBytes } from './hex.js';

/** An RFC 6962 audit path: the sibling hashes from the leaf up to the root. */
export interface InclusionPath {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly path: readonly Uint8Array[];
}

/**
 * The audit path of leaf `leafIndex` in the tree of `leafHashes` (RFC 6962 §2.1.1 PATH(m, D[n])).
 * O(n) time: a period has at most a checkpoint's worth of leaves.
 */
export function proveInclusion(leafIndex: number, leafHashes: readonly Uint8Array[]): InclusionPath {
  const n = leafHashes.length;
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= n) {
    throw new AuditrailError('INTEGRITY_INPUT_INVALID', `leaf index ${leafIndex} is outside a tree of ${n} leaves`);
  }
  const path: Uint8Array[] = [];
  collectPath(leafIndex, leafHashes, 0, n, path);
  return { leafIndex, treeSize: n, path };
}

function collectPath(m: number, leaves: readonly Uint8Array[], from: number, to: number, out: Uint8Array[]): void {
  const n = to - from;
  if (n <= 1) return;
  const k = largestPowerOfTwoBelow(n);
  if (m < k) {
    collectPath(m, leaves, from, from + k, out);
    out.push(subtreeRoot(leaves, from + k, to));
  } else {
    collectPath(m - k, leaves, from + k, to, out);
    out.push(subtreeRoot(leaves, from, from + k));
  }
}

function subtreeRoot(leaves: readonly Uint8Array[], from: number, to: number): Uint8Array {
  if (to - from === 1) return leaves[from]!;
  const k = largestPowerOfTwoBelow(to - from);
  return merkleNodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root an audit path leads to from `leafHash` (RFC 9162 §2.1.3.2), or undefined when the path cannot fit the tree. */
export function rootFromInclusion(leafHash: Uint8Array, proof: InclusionPath): Uint8Array | undefined {
  const { leafIndex, treeSize, path } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** True when the audit path proves `leafHash` at `proof.leafIndex` in the tree whose root is `root`. */
export function verifyInclusion(leafHash: Uint8Array, proof: InclusionPath, root: Uint8Array): boolean {
  const r = rootFromInclusion(leafHash, proof);
  return r !== undefined && sameBytes(r, root);
}

import { createHash, hash } from 'node:crypto';
import { AuditrailError } from '../core/errors.js';

/**
 * RFC 6962 (§2.1) Merkle Tree Hash over a checkpoint period: leaf = SHA-256(0x00 || data),
 * node = SHA-256(0x01 || left || right), the empty tree = SHA-256(""). In a checkpoint the leaf
 * data are the period's record hashes (32 bytes each), in seq order.
 */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const EMPTY_TREE_ROOT: Buffer = createHash('sha256').digest();

// One-shot hashing over a reused scratch buffer: two of every record's three hashes are these.
const leafScratch = Buffer.alloc(33);
const nodeScratch = Buffer.alloc(65);
nodeScratch[0] = 0x01;

export function merkleLeafHash(data: Uint8Array): Buffer {
  if (data.byteLength !== 32) return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
  leafScratch.set(data, 1);
  return hash('sha256', leafScratch, 'buffer');
}

export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.byteLength !== 32 || right.byteLength !== 32) return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 33);
  return hash('sha256', nodeScratch, 'buffer');
}

/**
 * Builds the root incrementally in O(log n) memory: `nodes` holds the roots of the perfect
 * subtrees of the leaves added so far (one per set bit of `size`, largest first). Folding them
 * from the right gives exactly the RFC 6962 hash of n leaves, whatever n is.
 */
export class MerkleAccumulator {
  #size: number;
  readonly #nodes: Uint8Array[];

  constructor(size = 0, nodes: readonly Uint8Array[] = []) {
    if (popcount(size) !== nodes.length) throw new AuditrailError('INTEGRITY_INPUT_INVALID', `a Merkle frontier of ${size} leaves has ${popcount(size)} nodes, not ${nodes.length}`);
    this.#size = size;
    this.#nodes = [...nodes];
  }

  get size(): number {
    return this.#size;
  }

  /** The perfect-subtree roots, largest first: persist them with `size` to resume later. */
  get nodes(): readonly Uint8Array[] {
    return this.#nodes;
  }

  /** Adds one leaf by its data (a record hash). */
  add(data: Uint8Array): void {
    this.addLeafHash(merkleLeafHash(data));
  }

  addLeafHash(leafHash: Uint8Array): void {
    let h: Uint8Array = leafHash;
    let s = this.#size;
    while (s % 2 === 1) {
      h = merkleNodeHash(this.#nodes.pop()!, h);
      s = Math.floor(s / 2);
    }
    this.#nodes.push(h);
    this.#size += 1;
  }

  root(): Buffer {
    const n = this.#nodes.length;
    if (n === 0) return EMPTY_TREE_ROOT;
    let r = this.#nodes[n - 1]!;
    for (let i = n - 2; i >= 0; i--) r = merkleNodeHash(this.#nodes[i]!, r);
    return Buffer.from(r);
  }

  clone(): MerkleAccumulator {
    return new MerkleAccumulator(this.#size, this.#nodes);
  }
}

/** The RFC 6962 root of the given leaf data. */
export function merkleRoot(leafData: readonly Uint8Array[]): Buffer {
  const acc = new MerkleAccumulator();
  for (const d of leafData) acc.add(d);
  return acc.root();
}

function popcount(n: number): number {
  let c = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) c += s % 2;
  return c;
}

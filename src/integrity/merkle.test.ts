import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from './hex.js';
import { proveInclusion, verifyInclusion } from './inclusion.js';
import { EMPTY_TREE_ROOT, MerkleAccumulator, merkleLeafHash, merkleNodeHash, merkleRoot } from './merkle.js';

/** RFC 6962 §2.1 MTH, written as in the RFC, to check the incremental version against. */
function referenceRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return merkleLeafHash(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return merkleNodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

// The leaves and roots of the RFC 6962 test vectors (certificate-transparency reference tests).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const leaves = (n: number) => Array.from({ length: n }, (_, i) => createHash('sha256').update(`record ${i}`).digest());

describe('Merkle tree (RFC 6962)', () => {
  it('gives the RFC 6962 reference roots for 1 to 8 leaves', () => {
    for (let n = 1; n <= 8; n++) expect(toHex(merkleRoot(CT_LEAVES.slice(0, n))), `${n} leaves`).toBe(CT_ROOTS[n - 1]);
  });

  it('gives SHA-256 of nothing for the empty tree', () => {
    expect(toHex(EMPTY_TREE_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('builds the same root incrementally as the recursive definition, for every size up to 70', () => {
    const all = leaves(70);
    const acc = new MerkleAccumulator();
    for (let n = 0; n <= 70; n++) {
      expect(toHex(acc.root()), `${n} leaves`).toBe(toHex(referenceRoot(all.slice(0, n))));
      if (n < 70) acc.add(all[n]!);
    }
  });

  it('resumes from a persisted frontier and clones without sharing state', () => {
    const all = leaves(37);
    const acc = new MerkleAccumulator();
    for (const l of all.slice(0, 20)) acc.add(l);
    const resumed = new MerkleAccumulator(acc.size, acc.nodes);
    const copy = resumed.clone();
    for (const l of all.slice(20)) resumed.add(l);
    expect(toHex(resumed.root())).toBe(toHex(referenceRoot(all)));
    expect(copy.size).toBe(20);
    expect(() => new MerkleAccumulator(7, acc.nodes)).toThrow(/nodes/);
  });

  it('proves every leaf of trees of 1 to 40 leaves, and each proof fails for another leaf, index or root', () => {
    for (let n = 1; n <= 40; n++) {
      const hashes = leaves(n).map((l) => merkleLeafHash(l));
      const root = referenceRoot(leaves(n));
      for (let m = 0; m < n; m++) {
        const proof = proveInclusion(m, hashes);
        expect(verifyInclusion(hashes[m]!, proof, root), `leaf ${m} of ${n}`).toBe(true);
        if (n > 1) {
          expect(verifyInclusion(hashes[(m + 1) % n]!, proof, root)).toBe(false);
          expect(verifyInclusion(hashes[m]!, { ...proof, leafIndex: (m + 1) % n }, root)).toBe(false);
        }
        expect(verifyInclusion(hashes[m]!, proof, merkleLeafHash(Buffer.from('other')))).toBe(false);
      }
    }
  });

  it('rejects a proof with a wrong tree size, an extra or a missing sibling', () => {
    const hashes = leaves(11).map((l) => merkleLeafHash(l));
    const root = merkleRoot(leaves(11));
    const proof = proveInclusion(10, hashes);
    expect(verifyInclusion(hashes[10]!, proof, root)).toBe(true);
    // The tree size is bound by the signed checkpoint; a path read against another size fails here.
    expect(verifyInclusion(hashes[10]!, { ...proof, treeSize: 12 }, root)).toBe(false);
    expect(verifyInclusion(hashes[10]!, { ...proof, path: [...proof.path, hashes[0]!] }, root)).toBe(false);
    expect(verifyInclusion(hashes[10]!, { ...proof, path: proof.path.slice(1) }, root)).toBe(false);
    expect(verifyInclusion(hashes[10]!, { ...proof, leafIndex: 11 }, root)).toBe(false);
  });

  it('refuses to prove a leaf outside the tree', () => {
    expect(() => proveInclusion(3, leaves(3))).toThrow(/outside/);
  });
});

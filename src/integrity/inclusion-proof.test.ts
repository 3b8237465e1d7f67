import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { buildInclusionProof, verifyInclusionProof, type InclusionProof } from './inclusion-proof.js';
import { createPublicKeyring, createSigningKeyring, generateSigningKey } from './keyring.js';
import { buildChain, FIXTURE_ORG, fixtureRecords } from './test-support/chain-fixture.js';

const key = generateSigningKey();
const keyring = createSigningKeyring({ privateKeys: [key.privateKeyPem] });
const chain = buildChain(fixtureRecords(500), keyring, { batchSize: 25, checkpointEvery: 100, finalCheckpoint: true });

function proofFor(seq: number): InclusionProof {
  const checkpoint = chain.checkpoints.find((c) => c.fromSeq <= seq && seq <= c.toSeq)!;
  return buildInclusionProof({
    orgId: FIXTURE_ORG,
    seq,
    record: chain.rows[seq - 1]!.record,
    ...(seq === checkpoint.fromSeq && seq > 1 ? { prevHash: chain.rows[seq - 2]!.hash } : {}),
    checkpoint,
    periodHashes: chain.rows.slice(checkpoint.fromSeq - 1, checkpoint.toSeq).map((r) => r.hash),
  });
}

describe('inclusion proofs', () => {
  it('prove any record, first, middle and last of a period, to a holder of the public key only', () => {
    const publicOnly = createPublicKeyring([key.publicKey]);
    for (const seq of [1, 100, 101, 250, 321, 500]) {
      const proof = proofFor(seq);
      expect(proof).toMatchObject({ type: 'auditrail.inclusion-proof.v1', seq, leafIndex: (seq - 1) % 100, treeSize: 100 });
      expect(verifyInclusionProof(proof, publicOnly), `seq ${seq}`).toEqual({ ok: true, problems: [] });
      // The proof travels as JSON.
      expect(verifyInclusionProof(JSON.parse(JSON.stringify(proof)) as InclusionProof, publicOnly).ok).toBe(true);
    }
  });

  it('fail when the record text, the path, the position or the checkpoint is changed', () => {
    const proof = proofFor(321);
    const problems = (p: InclusionProof) => verifyInclusionProof(p, keyring).problems;
    expect(problems({ ...proof, entry: proof.entry.replace('kubectl', 'kubectI') })).toContain('SHA-256(prevHash || entry) is not the stated hash');
    expect(problems({ ...proof, auditPath: [...proof.auditPath].reverse() })).toContain("the audit path does not lead to the checkpoint's Merkle root");
    expect(problems({ ...proof, leafIndex: 21 }).length).toBeGreaterThan(0);
    expect(problems({ ...proof, checkpoint: { ...proof.checkpoint, toSeq: 401 } })).toContain('checkpoint signature invalid');
    expect(verifyInclusionProof(proof, createPublicKeyring([generateSigningKey().publicKey])).problems).toEqual([`checkpoint signed by unknown key ${key.keyId}`]);
  });

  it('are refused with PROOF_UNAVAILABLE when the stored record or period does not support them', () => {
    const checkpoint = chain.checkpoints[3]!;
    const periodHashes = chain.rows.slice(300, 400).map((r) => r.hash);
    const attempt = (seq: number, record = chain.rows[seq - 1]!.record, hashes = periodHashes) => {
      try {
        buildInclusionProof({ orgId: FIXTURE_ORG, seq, record, checkpoint, periodHashes: hashes });
      } catch (err) {
        return isAuditrailError(err, 'PROOF_UNAVAILABLE') ? err.message : err;
      }
      return 'built';
    };
    expect(attempt(321)).toBe('built');
    expect(attempt(250)).toMatch(/outside the checkpoint's period/);
    expect(attempt(321, chain.rows[322]!.record)).toMatch(/does not match its stored hash/);
    expect(attempt(321, undefined, periodHashes.slice(1))).toMatch(/stored hashes, not 100/);
    expect(attempt(301)).toMatch(/opens its period/);
  });
});

import { describe, expect, it } from 'vitest';
import { createSigningKeyring, generateSigningKey } from '../keyring.js';
import { buildChain, FIXTURE_ORG, fixtureRecords } from '../test-support/chain-fixture.js';
import { verifyChain } from './verify-chain.js';

describe('verify at size', () => {
  it('verifies an untouched chain of 100,000 records clean, every checkpoint included', async () => {
    const keyring = createSigningKeyring({ privateKeys: [generateSigningKey().privateKeyPem] });
    const chain = buildChain(fixtureRecords(100_000), keyring, { batchSize: 500, checkpointEvery: 1000, finalCheckpoint: true });
    let lastProgress = 0;
    const report = await verifyChain({
      orgId: FIXTURE_ORG,
      publicKeys: keyring,
      records: chain.rows,
      checkpoints: chain.checkpoints,
      externalLog: { checkpoints: chain.checkpoints, problems: [] },
      storedHead: chain.head,
      totalRecords: chain.rows.length,
      onProgress: (done) => (lastProgress = done),
    });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.records).toMatchObject({ checked: 100_000, lastSeq: 100_000 });
    expect(report.checkpoints).toMatchObject({ trusted: 100, verified: 100, mismatched: 0 });
    expect(report.uncheckpointed).toBe(0);
    expect(lastProgress).toBe(100_000);
  }, 180_000); // a time limit, not a speed check: throughput is measured by `npm run bench -- verify`
});

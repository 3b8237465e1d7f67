import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../core/audit-event.js';
import { signCheckpoint, type Checkpoint } from '../checkpoint.js';
import { chainHash } from '../hash-chain.js';
import { entryParts } from '../chain-encoding.js';
import { fromHex } from '../hex.js';
import { createSigningKeyring, generateSigningKey, type SigningKeyring } from '../keyring.js';
import { buildChain, copyRows, FIXTURE_ORG, fixtureRecords, rehashFrom, type FixtureChain, type FixtureRow } from '../test-support/chain-fixture.js';
import type { ChainVerifierOptions, VerifyReport } from './chain-verifier.js';
import type { FindingKind } from './findings.js';
import { verifyChain } from './verify-chain.js';

// 2,030 records in batches of 50, a checkpoint every 200: 10 checkpoints (seqs 1..2000) and 30
// records after the last one. Index i holds seq i + 1.
let keyring: SigningKeyring;
let base: FixtureChain;

beforeAll(() => {
  keyring = createSigningKeyring({ privateKeys: [generateSigningKey().privateKeyPem] });
  base = buildChain(fixtureRecords(2030), keyring, { batchSize: 50, checkpointEvery: 200 });
});

function verify(rows: readonly FixtureRow[], options: Partial<ChainVerifierOptions> = {}): Promise<VerifyReport> {
  return verifyChain({
    orgId: FIXTURE_ORG,
    publicKeys: keyring,
    records: rows,
    checkpoints: base.checkpoints,
    externalLog: { checkpoints: base.checkpoints, problems: [] },
    storedHead: base.head,
    ...options,
  });
}

function kinds(report: VerifyReport): FindingKind[] {
  return report.findings.map((f) => f.kind);
}

function editEvent(rows: FixtureRow[], index: number, change: Partial<AuditEvent>): void {
  const r = rows[index]!;
  if (r.record.kind !== 'event') throw new Error(`index ${index} is not an event`);
  r.record = { ...r.record, ...change };
}

describe('verify: an untouched chain', () => {
  it('reports no finding, every checkpoint verified and the records after the last one as uncheckpointed', async () => {
    const report = await verify(base.rows);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.records).toMatchObject({ checked: 2030, firstSeq: 1, lastSeq: 2030 });
    expect(report.checkpoints).toMatchObject({ total: 10, trusted: 10, verified: 10, mismatched: 0 });
    expect(report.uncheckpointed).toBe(30);
    expect(report.anchor.source).toBe('genesis');
  });
});

describe('verify: changed records', () => {
  it('names the record whose field was changed with SQL, and nothing else', async () => {
    const rows = copyRows(base.rows);
    editEvent(rows, 498, { actionName: 'delete_namespace' });
    const report = await verify(rows);
    expect(report.ok).toBe(false);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'record-altered', seq: 499, recordId: (rows[498]!.record as AuditEvent).eventId });
  });

  it('detects a changed child of an interaction (a tool call observation)', async () => {
    const rows = copyRows(base.rows);
    const r = rows[1003]!.record;
    if (r.kind !== 'interaction') throw new Error('fixture: index 1003 is an interaction');
    rows[1003]!.record = { ...r, toolCalls: [{ ...r.toolCalls[0]!, observation: 'Running' }] };
    const report = await verify(rows);
    expect(kinds(report)).toEqual(['record-altered']);
    expect(report.findings[0]).toMatchObject({ seq: 1004 });
  });

  it('reports a period rewritten with recomputed hashes through the signed checkpoints', async () => {
    const rows = copyRows(base.rows);
    editEvent(rows, 1098, { success: false });
    rehashFrom(rows, 1098);
    const report = await verify(rows, { storedHead: { seq: 2030, hash: rows[2029]!.hash } });
    expect(report.ok).toBe(false);
    const mismatches = report.findings.filter((f) => f.kind === 'checkpoint-mismatch');
    // The period 1001..1200 and every later checkpoint disagree with the re-hashed rows.
    expect(mismatches.map((f) => f.kind === 'checkpoint-mismatch' && f.checkpoint.fromSeq)).toEqual(expect.arrayContaining([1001, 1201, 1401, 1601, 1801]));
    const first = mismatches.find((f) => f.kind === 'checkpoint-mismatch' && f.checkpoint.fromSeq === 1001);
    expect(first).toMatchObject({ recordFindingsInRange: 0 });
    expect(kinds(report).filter((k) => k !== 'checkpoint-mismatch')).toEqual([]);
  });

  it('flags a row whose hash was recomputed by the broken link after it and its period root', async () => {
    const rows = copyRows(base.rows);
    editEvent(rows, 1098, { success: false });
    rows[1098]!.hash = chainHash(rows[1097]!.hash, entryParts(FIXTURE_ORG, rows[1098]!.record), 1099);
    const report = await verify(rows);
    expect(kinds(report)).toEqual(expect.arrayContaining(['record-altered', 'checkpoint-mismatch']));
    const mismatch = report.findings.find((f) => f.kind === 'checkpoint-mismatch');
    expect(mismatch).toMatchObject({ field: 'merkleRoot', checkpoint: { fromSeq: 1001, toSeq: 1200 } });
    expect(report.findings.find((f) => f.kind === 'record-altered')).toMatchObject({ seq: 1100 });
  });
});

describe('verify: deleted records', () => {
  it('names a deleted record by its seq, without blaming the record after it', async () => {
    const rows = copyRows(base.rows);
    rows.splice(499, 1);
    const report = await verify(rows);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'records-missing', fromSeq: 500, toSeq: 500 });
    expect(report.checkpoints.headOnly).toBe(1);
  });

  it('reports a deleted range as one finding', async () => {
    const rows = copyRows(base.rows);
    rows.splice(699, 11);
    const report = await verify(rows);
    expect(report.findings.map((f) => [f.kind, 'fromSeq' in f ? f.fromSeq : 0, 'toSeq' in f ? f.toSeq : 0])).toEqual([['records-missing', 700, 710]]);
  });

  it('reports deleted first records (no seal) as missing from seq 1', async () => {
    const rows = copyRows(base.rows).slice(10);
    const report = await verify(rows);
    expect(report.findings[0]).toMatchObject({ kind: 'records-missing', fromSeq: 1, toSeq: 10 });
  });

  it('sees through a deletion hidden by renumbering the records after it', async () => {
    const rows = copyRows(base.rows).slice(0, 1210);
    rows.splice(1099, 1);
    for (let i = 1099; i < rows.length; i++) rows[i]!.seq -= 1;
    const report = await verify(rows, { storedHead: undefined, externalLog: undefined, checkpoints: base.checkpoints.slice(0, 5) });
    expect(report.findings.find((f) => f.kind === 'records-missing')).toMatchObject({ fromSeq: 1100, toSeq: 1100, renumbered: true });
    expect(report.findings.find((f) => f.kind === 'records-moved')).toMatchObject({ fromSeq: 1100, toSeq: 1209, offset: 1 });
    expect(kinds(report).filter((k) => k !== 'records-missing' && k !== 'records-moved')).toEqual([]);
  });
});

describe('verify: inserted records', () => {
  it('names a record inserted with a taken seq that links like a genuine one', async () => {
    const rows = copyRows(base.rows);
    const fake = { ...(rows[298]!.record as AuditEvent), eventId: '01900000-0000-7000-8000-fffffffffff1', actionName: 'grant_admin' };
    const hash = chainHash(rows[298]!.hash, entryParts(FIXTURE_ORG, fake), 300);
    rows.splice(299, 0, { seq: 300, hash, record: fake });
    const report = await verify(rows);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'record-inserted', seq: 300, recordId: fake.eventId, reason: 'duplicate-seq' });
  });

  it('names an inserted record whose seq is taken whichever way the storage orders the two', async () => {
    const rows = copyRows(base.rows);
    const fake = { ...(rows[298]!.record as AuditEvent), eventId: '01900000-0000-7000-8000-fffffffffff2' };
    rows.splice(300, 0, { seq: 300, hash: new Uint8Array(32), record: fake });
    const report = await verify(rows);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'record-inserted', seq: 300, recordId: fake.eventId });
  });

  it('names a record pushed in with the rest renumbered', async () => {
    const rows = copyRows(base.rows).slice(0, 1300);
    const fake = { ...(rows[1098]!.record as AuditEvent), eventId: '01900000-0000-7000-8000-fffffffffff3' };
    for (let i = 1099; i < rows.length; i++) rows[i]!.seq += 1;
    rows.splice(1099, 0, { seq: 1100, hash: chainHash(rows[1098]!.hash, entryParts(FIXTURE_ORG, fake), 1100), record: fake });
    const report = await verify(rows, { storedHead: undefined, externalLog: undefined, checkpoints: [] });
    expect(report.findings.find((f) => f.kind === 'record-inserted')).toMatchObject({ seq: 1100, recordId: fake.eventId, reason: 'renumbered' });
    expect(report.findings.find((f) => f.kind === 'records-moved')).toMatchObject({ fromSeq: 1101, toSeq: 1301, offset: -1 });
    expect(kinds(report).sort()).toEqual(['record-inserted', 'records-moved']);
  });

  it('names records appended after the chain head without the writer', async () => {
    const rows = copyRows(base.rows);
    const extra = fixtureRecords(1, FIXTURE_ORG, 5000)[0]!;
    rows.push({ seq: 2031, hash: chainHash(rows[2029]!.hash, entryParts(FIXTURE_ORG, extra), 2031), record: extra });
    const report = await verify(rows);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'records-beyond-head', headSeq: 2030, lastSeq: 2031 });
  });

  it('counts records stored without seq or hash as written outside the writer', async () => {
    const report = await verify(base.rows, { unchained: { count: 2, recordIds: ['a', 'b'] } });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'records-unchained', count: 2 })]);
    expect(report.ok).toBe(false);
  });
});

describe('verify: swapped records', () => {
  it('names two records whose seqs were exchanged', async () => {
    const rows = copyRows(base.rows);
    const [a, b] = [rows[749]!, rows[750]!];
    [a.seq, b.seq] = [b.seq, a.seq];
    rows[749] = b;
    rows[750] = a;
    const report = await verify(rows);
    expect(report.findings.find((f) => f.kind === 'records-swapped')).toMatchObject({ seqs: [750, 751], how: 'seq' });
    // The period's stored order changed, so its Merkle root no longer matches, explained by the swap.
    expect(report.findings.find((f) => f.kind === 'checkpoint-mismatch')).toMatchObject({ field: 'merkleRoot', recordFindingsInRange: 2 });
    expect(kinds(report).sort()).toEqual(['checkpoint-mismatch', 'records-swapped']);
  });

  it('names two records whose contents were exchanged', async () => {
    const rows = copyRows(base.rows);
    [rows[899]!.record, rows[900]!.record] = [rows[900]!.record, rows[899]!.record];
    const report = await verify(rows);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'records-swapped', seqs: [900, 901], how: 'content' });
  });

  it('names two records a few places apart whose seqs were exchanged', async () => {
    const rows = copyRows(base.rows);
    const [a, b] = [rows[1499]!, rows[1503]!];
    [a.seq, b.seq] = [b.seq, a.seq];
    rows[1499] = b;
    rows[1503] = a;
    const report = await verify(rows);
    expect(report.findings.find((f) => f.kind === 'records-swapped')).toMatchObject({ seqs: [1500, 1504], how: 'seq' });
  });
});

describe('verify: truncation and restores', () => {
  it('names a deleted tail from the chain head that still points past it', async () => {
    const rows = copyRows(base.rows).slice(0, 1990);
    const report = await verify(rows);
    expect(report.findings.find((f) => f.kind === 'tail-truncated')).toMatchObject({ lastSeq: 1990, expectedSeq: 2030, evidence: 'chain-head' });
  });

  it('names a deleted tail from the database checkpoints when the head row was rewound too', async () => {
    const rows = copyRows(base.rows).slice(0, 1900);
    const report = await verify(rows, { storedHead: { seq: 1900, hash: rows[1899]!.hash }, externalLog: undefined });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'tail-truncated', lastSeq: 1900, expectedSeq: 2000, evidence: 'checkpoint' })]);
  });

  it('names a database restored to an older state from the external log', async () => {
    // The database as backed up after seq 1600: its rows, head and checkpoints agree with each other.
    const rows = copyRows(base.rows).slice(0, 1600);
    const report = await verify(rows, { storedHead: { seq: 1600, hash: rows[1599]!.hash }, checkpoints: base.checkpoints.slice(0, 8) });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'database-behind-external-log', lastSeq: 1600, externalSeq: 2000 })]);
  });

  it('names a restore followed by new writes: two signed histories', async () => {
    const restored = buildChain(fixtureRecords(1000), keyring, { batchSize: 50, checkpointEvery: 200 });
    // Backup taken at seq 1000; the server kept writing on top of it after the restore.
    const after = buildChain(fixtureRecords(600, FIXTURE_ORG, 90_000), keyring, { batchSize: 50, checkpointEvery: 200, state: restored.state, startMs: Date.UTC(2026, 5, 1) });
    const rows = [...copyRows(restored.rows), ...after.rows];
    const dbCheckpoints = [...restored.checkpoints, ...after.checkpoints];
    const report = await verify(rows, {
      checkpoints: dbCheckpoints,
      storedHead: after.head,
      externalLog: { checkpoints: [...base.checkpoints, ...after.checkpoints], problems: [] },
    });
    expect(report.ok).toBe(false);
    expect(kinds(report)).toContain('checkpoint-conflict');
    expect(report.findings.find((f) => f.kind === 'checkpoint-conflict')).toMatchObject({ seq: 1200 });
    // The external log's old checkpoints after seq 1000 no longer match the rows.
    expect(report.findings.filter((f) => f.kind === 'checkpoint-mismatch' && f.checkpoint.source === 'external').length).toBeGreaterThan(0);
  });
});

describe('verify: checkpoints', () => {
  it('names a checkpoint altered in the database by its failed signature and still verifies against the external copy', async () => {
    const altered = base.checkpoints.map((c, i) => (i === 3 ? { ...c, merkleRoot: '0'.repeat(64) } : c));
    const report = await verify(base.rows, { checkpoints: altered });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint-signature-invalid', checkpoint: expect.objectContaining({ source: 'database', fromSeq: 601 }) })]);
    expect(report.checkpoints.verified).toBe(10);
  });

  it('names a checkpoint re-signed with a key that is not trusted', async () => {
    const attacker = createSigningKeyring({ privateKeys: [generateSigningKey().privateKeyPem] });
    const forged = signCheckpoint({ orgId: FIXTURE_ORG, kind: 'periodic', fromSeq: 2001, toSeq: 2030, headHash: new Uint8Array(32), merkleRoot: new Uint8Array(32), timeMs: Date.UTC(2026, 1, 1) }, attacker);
    const report = await verify(base.rows, { checkpoints: [...base.checkpoints, forged] });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint-key-unknown', keyId: attacker.activeKeyId })]);
  });

  it('names a checkpoint that does not match the records when both were written by a key holder', async () => {
    const wrong = signCheckpoint({ orgId: FIXTURE_ORG, kind: 'periodic', fromSeq: 2001, toSeq: 2030, headHash: base.head.hash, merkleRoot: new Uint8Array(32), timeMs: Date.UTC(2026, 1, 1) }, keyring);
    const report = await verify(base.rows, { checkpoints: [...base.checkpoints, wrong], externalLog: undefined });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint-mismatch', field: 'merkleRoot', recordFindingsInRange: 0 })]);
  });

  it('names a checkpoint deleted from the database by the external log', async () => {
    const report = await verify(base.rows, { checkpoints: base.checkpoints.filter((_, i) => i !== 4) });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint-missing-from-database', checkpoint: expect.objectContaining({ fromSeq: 801 }) })]);
  });

  it('warns about a checkpoint missing from the external log without failing verification', async () => {
    const report = await verify(base.rows, { externalLog: { checkpoints: base.checkpoints.slice(0, 9), problems: [] } });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint-missing-from-external-log', severity: 'warning' })]);
    expect(report.ok).toBe(true);
  });

  it('reports lines of the external log that are not checkpoints', async () => {
    const report = await verify(base.rows, { externalLog: { checkpoints: base.checkpoints, problems: [{ line: 7, message: 'not JSON (a torn or edited line)' }] } });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'checkpoint-malformed', source: 'external', line: 7 })]);
  });

  it('names a chain head row that was changed', async () => {
    const report = await verify(base.rows, { storedHead: { seq: 2030, hash: new Uint8Array(32).fill(7) } });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'head-mismatch', seq: 2030 })]);
  });
});

describe('verify: key rotation', () => {
  it('verifies checkpoints signed by a retired key next to those of the active one', async () => {
    const oldKey = generateSigningKey();
    const newKey = generateSigningKey();
    const before = createSigningKeyring({ privateKeys: [oldKey.privateKeyPem] });
    const first = buildChain(fixtureRecords(400), before, { batchSize: 50, checkpointEvery: 200 });
    // Rotation: the new key signs, the old one is kept as a public key only.
    const after = createSigningKeyring({ privateKeys: [newKey.privateKeyPem], publicKeys: [oldKey.publicKey] });
    const second = buildChain(fixtureRecords(400, FIXTURE_ORG, 400), after, { batchSize: 50, checkpointEvery: 200, state: first.state });
    const checkpoints = [...first.checkpoints, ...second.checkpoints];
    expect(new Set(checkpoints.map((c) => c.keyId))).toEqual(new Set([oldKey.keyId, newKey.keyId]));
    const report = await verifyChain({ orgId: FIXTURE_ORG, publicKeys: after, records: [...first.rows, ...second.rows], checkpoints, storedHead: second.head });
    expect(report.findings).toEqual([]);
    expect(report.checkpoints.verified).toBe(4);
    const withoutOld = createSigningKeyring({ privateKeys: [newKey.privateKeyPem] });
    const strict = await verifyChain({ orgId: FIXTURE_ORG, publicKeys: withoutOld, records: [...first.rows, ...second.rows], checkpoints, storedHead: second.head });
    expect(strict.findings.map((f) => f.kind)).toEqual(['checkpoint-key-unknown', 'checkpoint-key-unknown']);
  });
});

describe('verify: retention seals', () => {
  it('starts from the sealing checkpoint when the records before it were dropped', async () => {
    const { sealCheckpoint } = await import('../org-chain.js');
    const seal = sealCheckpoint({ orgId: FIXTURE_ORG, fromSeq: 1, recordHashes: base.rows.slice(0, 450).map((r) => r.hash) }, keyring, Date.UTC(2026, 2, 1));
    const rows = copyRows(base.rows).slice(450);
    const checkpoints: Checkpoint[] = [...base.checkpoints, seal];
    const report = await verify(rows, { checkpoints, externalLog: { checkpoints, problems: [] } });
    expect(report.findings).toEqual([]);
    expect(report.anchor).toMatchObject({ source: 'seal', seq: 450 });
    expect(report.checkpoints.beforeAnchor).toBe(2);
    // The seal itself and the checkpoint of 401..600, which straddles it: heads checked, roots not recomputable.
    expect(report.checkpoints.headOnly).toBe(2);
  });

  it('still names an edit right after the seal', async () => {
    const { sealCheckpoint } = await import('../org-chain.js');
    const seal = sealCheckpoint({ orgId: FIXTURE_ORG, fromSeq: 1, recordHashes: base.rows.slice(0, 452).map((r) => r.hash) }, keyring, Date.UTC(2026, 2, 1));
    const rows = copyRows(base.rows).slice(452);
    editEvent(rows, 0, { reason: 'covered up' });
    const report = await verify(rows, { checkpoints: [...base.checkpoints, seal], externalLog: undefined });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'record-altered', seq: 453 })]);
  });
});

describe('verify: streaming', () => {
  it('reports progress as records are pushed, ending with the total', async () => {
    const calls: [number, number | undefined][] = [];
    await verify(base.rows, { totalRecords: base.rows.length, progressEvery: 500, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [500, 2030],
      [1000, 2030],
      [1500, 2030],
      [2000, 2030],
      [2030, 2030],
    ]);
  });

  it('accepts an async iterable and hex hashes (a database cursor)', async () => {
    async function* cursor() {
      for (const r of base.rows) yield { seq: r.seq, hash: Buffer.from(r.hash).toString('hex'), record: r.record };
    }
    const report = await verify([], { records: cursor() } as Partial<ChainVerifierOptions>);
    expect(report.findings).toEqual([]);
    expect(report.records.checked).toBe(2030);
  });

  it('skips rows the storage returns out of seq order and says so as a warning', async () => {
    const rows = copyRows(base.rows);
    rows.splice(1000, 0, { ...rows[10]! });
    const report = await verify(rows);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'records-out-of-order', seq: 11, afterSeq: 1000, severity: 'warning' })]);
  });

  it('verifies a range from the latest checkpoint before it', async () => {
    const { findRangeAnchor } = await import('./range-anchor.js');
    const start = findRangeAnchor(FIXTURE_ORG, base.checkpoints, keyring, 1050);
    expect(start.readFromSeq).toBe(1001);
    expect(start.anchor?.hash).toEqual(fromHex(base.checkpoints[4]!.headHash));
    const report = await verify(base.rows.slice(1000, 1400), { anchor: start.anchor, toSeq: 1400 });
    expect(report.findings).toEqual([]);
    expect(report.checkpoints.verified).toBe(2);
  });
});

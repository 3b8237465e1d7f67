import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordId, type AuditRecord } from '../../core/record.js';
import { verifyInclusionProof } from '../../integrity/inclusion-proof.js';
import { readCheckpointLog } from '../../integrity/file-checkpoint-sink.js';
import { createPublicKeyring, generateSigningKey } from '../../integrity/keyring.js';
import type { FindingKind } from '../../integrity/verify/findings.js';
import { FIXTURE_START_MS, makeEvent, makeInteraction } from '../contract/fixtures.js';
import { createPostgresStorage, type PostgresStorage } from './create-postgres-storage.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

let db: TestDatabase;
let dir: string;
const key = generateSigningKey();

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'auditrail-integrity-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const logPath = () => join(dir, 'checkpoints.log');

const open = (extra: Record<string, unknown> = {}) =>
  createPostgresStorage({
    connectionString: db.connectionString,
    partitionsAheadDays: 0,
    searchIndexIntervalMs: 0,
    integrity: { signingKeys: [key.privateKeyPem], checkpointLog: logPath(), checkpointEveryRecords: 5, checkpointTimerMs: 0 },
    ...extra,
  });

/** Events and interactions of one org, alternating, a second apart. */
function records(orgId: string, n: number, startMs = FIXTURE_START_MS): AuditRecord[] {
  return Array.from({ length: n }, (_, k) => {
    const timestamp = new Date(startMs + k * 1000).toISOString();
    return k % 3 === 2
      ? makeInteraction({ orgId, timestamp, question: `question ${k}`, toolCalls: [{ sequence: 0, name: 'kubectl_get', input: { k }, observation: `pods ${k}` }] })
      : makeEvent({ orgId, timestamp, actionName: `action_${k}` });
  });
}

/** Writes `n` records of a new org in batches of 4 (checkpoints every 5), and flushes the external log. */
async function seed(s: PostgresStorage, orgId: string, n = 20): Promise<void> {
  const all = records(orgId, n);
  for (let i = 0; i < all.length; i += 4) await s.append(all.slice(i, i + 4));
  await s.flushCheckpointLog();
}

const kinds = (findings: readonly { kind: FindingKind }[]) => [...new Set(findings.map((f) => f.kind))].sort();

/** SQL for the stored hash of an org's record at `seq`, whichever table holds it. */
const HASH_AT = (org: string, seq: number) =>
  `SELECT hash FROM (SELECT seq, hash FROM events WHERE org_id = '${org}' UNION ALL SELECT seq, hash FROM interactions WHERE org_id = '${org}') x WHERE seq = ${seq}`;

async function sql(s: PostgresStorage, text: string, params: unknown[] = []): Promise<void> {
  await s.driver.query(text, params);
}

describe('the integrity chain on PostgreSQL', () => {
  let s: PostgresStorage;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s.close();
  });

  it('gives every stored record of an org a gapless seq and a hash, one head per org, and verifies clean', async () => {
    const written = records('clean-a', 23);
    for (let i = 0; i < written.length; i += 4) await s.append(written.slice(i, i + 4));
    await seed(s, 'clean-b', 7);
    // a replay is stored once and not chained again
    expect((await s.append(written.slice(3, 11))).accepted).toBe(0);
    await s.flushCheckpointLog();
    const rows = await s.driver.query<{ seq: string }>(
      `SELECT seq::text FROM events WHERE org_id = 'clean-a' UNION ALL SELECT seq::text FROM interactions WHERE org_id = 'clean-a' ORDER BY 1`,
    );
    expect(rows.map((r) => Number(r.seq)).sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, k) => k + 1));
    const heads = await s.driver.query<{ org_id: string; seq: string }>(`SELECT org_id, seq::text FROM chain_heads WHERE org_id LIKE 'clean-%' ORDER BY org_id`);
    expect(heads.map((h) => [h.org_id, Number(h.seq)])).toEqual([
      ['clean-a', 23],
      ['clean-b', 7],
    ]);
    const report = await s.verifyChain('clean-a');
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.records.checked).toBe(23);
    expect(report.head.seq).toBe(23);
    // batches of 4, a checkpoint once 5 wait: at 8, 16 and 23
    expect(report.checkpoints.verified).toBe(3);
    expect((await s.verifyChain('clean-b')).ok).toBe(true);
    // every checkpoint in the database is also in the external log, signed by the configured key
    const log = await readCheckpointLog(logPath(), 'clean-a');
    expect(log.checkpoints.length).toBe((await s.checkpoints('clean-a')).length);
    expect(new Set(log.checkpoints.map((c) => c.keyId))).toEqual(new Set([key.keyId]));
  });

  it('chains an org whose id PostgreSQL text cannot hold as is (a NUL), through the text codec', async () => {
    const org = 'odd\u0000org';
    await seed(s, org, 12);
    expect(await s.chainOrgs()).toContain(org);
    const report = await s.verifyChain(org);
    expect(report.findings).toEqual([]);
    expect(report.records.checked).toBe(12);
  });

  it('never forks an org chain when two storages write the same org at once', async () => {
    const other = await open();
    try {
      const all = records('race', 200);
      const batches = Array.from({ length: 20 }, (_, k) => all.slice(k * 10, k * 10 + 10));
      await Promise.all(batches.map((b, k) => (k % 2 === 0 ? s : other).append(b)));
      const rows = await s.driver.query<{ seq: string }>(`SELECT seq::text FROM events WHERE org_id = 'race' UNION ALL SELECT seq::text FROM interactions WHERE org_id = 'race'`);
      expect(rows.map((r) => Number(r.seq)).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, k) => k + 1));
      await other.flushCheckpointLog();
      await s.flushCheckpointLog();
      const report = await s.verifyChain('race');
      expect(report.findings).toEqual([]);
      expect(report.records.checked).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('verifies clean while records are being written (one snapshot for the head, checkpoints and records)', async () => {
    await seed(s, 'busy', 600);
    let writing = true;
    const writer = (async () => {
      let k = 0;
      while (writing) await s.append(records('busy', 20, FIXTURE_START_MS + 7_200_000 + k++ * 100_000));
    })();
    try {
      for (let i = 0; i < 3; i++) {
        const report = await s.verifyChain('busy');
        expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(report.ok).toBe(true);
      }
    } finally {
      writing = false;
      await writer;
    }
  });

  it('signs the records a previous process left without a checkpoint, once started again', async () => {
    await seed(s, 'left-behind', 3); // fewer than a period: no checkpoint yet
    expect((await s.verifyChain('left-behind')).uncheckpointed).toBe(3);
    const again = await open();
    try {
      expect(await again.cutDueCheckpoints()).toBeGreaterThanOrEqual(1);
      await again.flushCheckpointLog();
      const report = await again.verifyChain('left-behind');
      expect(report.uncheckpointed).toBe(0);
      expect(report.ok).toBe(true);
      // the first process writes on after it: no fork, its cached period is replaced
      await s.append(records('left-behind', 6, FIXTURE_START_MS + 3_600_000));
      await s.flushCheckpointLog();
      expect((await s.verifyChain('left-behind')).findings).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('resumes the chain and its checkpoint period after a restart', async () => {
    await seed(s, 'restart', 7);
    const again = await open();
    try {
      await again.append(records('restart', 6, FIXTURE_START_MS + 3_600_000));
      await again.flushCheckpointLog();
      const report = await again.verifyChain('restart');
      expect(report.findings).toEqual([]);
      expect(report.records.checked).toBe(13);
    } finally {
      await again.close();
    }
  });

  it('verifies an untouched org of 100,000 events clean', { timeout: 240_000 }, async () => {
    const big = await open({ integrity: { signingKeys: [key.privateKeyPem], checkpointLog: logPath(), checkpointTimerMs: 0 } });
    try {
      for (let b = 0; b < 100; b++) {
        const batch = Array.from({ length: 1000 }, (_, k) => makeEvent({ orgId: 'big', timestamp: new Date(FIXTURE_START_MS + (b * 1000 + k) * 10).toISOString() }));
        await big.append(batch);
      }
      await big.flushCheckpointLog();
      let progress = 0;
      const report = await big.verifyChain('big', { onProgress: (done) => (progress = done) });
      expect(report.findings).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.records.checked).toBe(100_000);
      expect(report.checkpoints.verified).toBe(100);
      expect(progress).toBeGreaterThanOrEqual(99_000);
    } finally {
      await big.close();
    }
  });

  it('seals what retention drops, so the rest still verifies, and keeps back a day holding a late record', async () => {
    const NOW = Date.parse('2026-03-01T12:00:00Z');
    const archiveDir = join(dir, 'archive');
    // a database of its own: retention would otherwise archive every other test's days
    const own = await createTestDatabase();
    const r = await open({ connectionString: own.connectionString, now: () => NOW, retention: { days: 30, autoCleanup: false, archiveDir } });
    try {
      const day = (iso: string, n: number, orgId = 'retained') => Array.from({ length: n }, (_, k) => makeEvent({ orgId, timestamp: new Date(Date.parse(iso) + k * 1000).toISOString() }));
      await r.append(day('2026-01-10T08:00:00Z', 6)); // seqs 1..6
      await r.append(day('2026-01-11T08:00:00Z', 6)); // 7..12
      await r.append(day('2026-02-20T08:00:00Z', 4)); // 13..16, kept
      // a late record: an old timestamp (2026-01-12, expired) written after the kept day's records
      await r.append(day('2026-01-12T08:00:00Z', 1)); // 17
      await r.append(day('2026-02-21T08:00:00Z', 3)); // 18..20, kept
      await r.flushCheckpointLog();
      const report = await r.runRetention();
      expect(report.days.map((d) => d.day)).toEqual(['2026-01-10', '2026-01-11']);
      const seals = (await r.checkpoints('retained')).filter((c) => (c as { kind: string }).kind === 'seal');
      expect(seals).toMatchObject([{ kind: 'seal', fromSeq: 1, toSeq: 12 }]);
      await r.flushCheckpointLog();
      const after = await r.verifyChain('retained');
      expect(after.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(after.anchor).toMatchObject({ seq: 12, source: 'seal' });
      expect(after.records.checked).toBe(8);
      // the seal is in the external log too
      expect((await readCheckpointLog(logPath(), 'retained')).checkpoints.some((c) => c.kind === 'seal' && c.toSeq === 12)).toBe(true);
    } finally {
      await r.close();
      await own.drop();
    }
  });

  it('proves one record to a third party with the public key, once a checkpoint covers it', async () => {
    const written = records('prove', 20);
    for (let i = 0; i < written.length; i += 4) await s.append(written.slice(i, i + 4));
    const keys = createPublicKeyring([key.publicKey]);
    // seq 3 (an interaction), seq 9 (opens the period 9..16: its previous hash closes 1..8), seq 12
    for (const k of [2, 8, 11]) {
      const id = recordId(written[k]!);
      const proof = await s.proveRecord('prove', id);
      expect(proof).toMatchObject({ orgId: 'prove', seq: k + 1, recordId: id });
      expect(verifyInclusionProof(proof, keys)).toEqual({ ok: true, problems: [] });
      // the entry holds the record itself: a changed entry no longer proves anything
      const forged = { ...proof, entry: proof.entry.replace('"orgId":"prove"', '"orgId":"prove","x":1') };
      expect(verifyInclusionProof(forged, keys).ok).toBe(false);
      // nor does a proof relabelled as another record's
      expect(verifyInclusionProof({ ...proof, recordId: recordId(written[0]!) }, keys).problems).toContain('the entry holds another record than the proof names');
    }
    // seqs 17..20 wait for the next checkpoint
    await expect(s.proveRecord('prove', recordId(written[18]!))).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_PROOF_UNAVAILABLE' });
    await expect(s.proveRecord('prove', recordId(makeEvent()))).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_NOT_FOUND' });
    await expect(s.proveRecord('other-org', recordId(written[2]!))).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_NOT_FOUND' });
    // a record changed in the database cannot be proven
    await sql(s, `UPDATE interactions SET question = 'changed' WHERE org_id = 'prove' AND seq = 12`);
    await expect(s.proveRecord('prove', recordId(written[11]!))).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_PROOF_UNAVAILABLE' });
  });

  describe('names tampering done with SQL on the rows', () => {
    it('a changed field of an event', async () => {
      await seed(s, 't-field');
      await sql(s, `UPDATE events SET action_name = 'innocent' WHERE org_id = 't-field' AND seq = 4`);
      const r = await s.verifyChain('t-field');
      expect(r.ok).toBe(false);
      expect(r.findings.filter((f) => f.kind === 'record-altered').map((f) => (f as { seq?: number }).seq)).toEqual([4]);
    });

    it('a changed tool call observation of an interaction', async () => {
      await seed(s, 't-child');
      await sql(s, `UPDATE tool_calls SET tool_observation = '"nothing to see"' WHERE org_id = 't-child' AND interaction_id = (SELECT interaction_id FROM interactions WHERE org_id = 't-child' AND seq = 3)`);
      const r = await s.verifyChain('t-child');
      expect(r.findings.map((f) => [f.kind, (f as { seq?: number }).seq])).toContainEqual(['record-altered', 3]);
    });

    it('a deleted record', async () => {
      await seed(s, 't-delete');
      await sql(s, `DELETE FROM events WHERE org_id = 't-delete' AND seq = 7`);
      const r = await s.verifyChain('t-delete');
      expect(kinds(r.findings)).toContain('records-missing');
      expect(r.findings.find((f) => f.kind === 'records-missing')).toMatchObject({ fromSeq: 7, toSeq: 7 });
    });

    it('an inserted record', async () => {
      await seed(s, 't-insert');
      await sql(
        s,
        `INSERT INTO events SELECT gen_random_uuid(), org_id, created_at, event_type, user_id, agent_id, session_id, action_id, 'forged', action_params, interaction_id,
           capability_type, capability_source, capability_version, mcp_server_id, mcp_server_name, requires_approval, approval_granted, approver, reason, success,
           duration_ms, error_message, severity, metadata, null_mask, seq, hash FROM events WHERE org_id = 't-insert' AND seq = 5`,
      );
      const r = await s.verifyChain('t-insert');
      expect(r.ok).toBe(false);
      expect(kinds(r.findings).some((k) => k === 'record-inserted' || k === 'seq-conflict')).toBe(true);
    });

    it('two swapped records', async () => {
      await seed(s, 't-swap');
      await sql(s, `UPDATE events SET seq = CASE seq WHEN 4 THEN 5 ELSE 4 END WHERE org_id = 't-swap' AND seq IN (4, 5)`);
      const r = await s.verifyChain('t-swap');
      expect(kinds(r.findings)).toContain('records-swapped');
    });

    it('a record added with SQL outside the writer (no seq)', async () => {
      await seed(s, 't-unchained');
      await sql(s, `UPDATE events SET seq = NULL, hash = NULL WHERE org_id = 't-unchained' AND seq = 20`);
      const r = await s.verifyChain('t-unchained');
      expect(kinds(r.findings)).toContain('records-unchained');
    });

    // 20 records in batches of 4, a checkpoint once 5 wait: checkpoints cover 1..8 and 9..16
    it('a truncated tail, with the chain head rewound to hide it', async () => {
      await seed(s, 't-tail');
      await sql(s, `DELETE FROM events WHERE org_id = 't-tail' AND seq > 12`);
      await sql(s, `DELETE FROM interactions WHERE org_id = 't-tail' AND seq > 12`);
      await sql(s, `UPDATE chain_heads SET seq = 12, hash = (${HASH_AT('t-tail', 12)}) WHERE org_id = 't-tail'`);
      const r = await s.verifyChain('t-tail');
      expect(kinds(r.findings)).toContain('tail-truncated');
    });

    it('a database restored to an older state (rows, head and checkpoints), from the external log', async () => {
      await seed(s, 't-restore');
      await sql(s, `DELETE FROM events WHERE org_id = 't-restore' AND seq > 10`);
      await sql(s, `DELETE FROM interactions WHERE org_id = 't-restore' AND seq > 10`);
      await sql(s, `DELETE FROM checkpoints WHERE org_id = 't-restore' AND to_seq > 10`);
      await sql(
        s,
        `UPDATE chain_heads SET seq = 10, hash = (${HASH_AT('t-restore', 10)}) WHERE org_id = 't-restore'`,
      );
      const r = await s.verifyChain('t-restore');
      expect(r.ok).toBe(false);
      expect(kinds(r.findings)).toContain('database-behind-external-log');
    });

    it('a checkpoint whose signed body was changed', async () => {
      await seed(s, 't-checkpoint');
      await sql(s, `UPDATE checkpoints SET body = replace(body::text, '"toSeq":8', '"toSeq":7')::json WHERE org_id = 't-checkpoint' AND to_seq = 8`);
      const r = await s.verifyChain('t-checkpoint');
      expect(kinds(r.findings)).toContain('checkpoint-signature-invalid');
    });

    it('a checkpoint attributed to a key that is not trusted', async () => {
      await seed(s, 't-signature');
      const forger = generateSigningKey();
      await sql(s, `UPDATE checkpoints SET body = jsonb_set(body::jsonb, '{keyId}', to_jsonb($1::text))::json WHERE org_id = 't-signature' AND to_seq = 8`, [forger.keyId]);
      const r = await s.verifyChain('t-signature');
      expect(r.ok).toBe(false);
      expect(kinds(r.findings).some((k) => k === 'checkpoint-key-unknown' || k === 'checkpoint-signature-invalid')).toBe(true);
    });
  });
});

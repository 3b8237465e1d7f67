import { rm } from 'node:fs/promises';
import type { AuditRecord } from '../../core/record.js';
import { createPublicKeyring } from '../../integrity/keyring.js';
import { verifyChain } from '../../integrity/verify/verify-chain.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../storage/postgres/test-support/test-database.js';
import type { SqlStorage } from '../../storage/sql/sql-storage.js';
import { loadConfig } from '../config/load-config.js';
import { createAuditrailServer, type AuditrailServer } from '../create-server.js';
import { integrityPaths } from '../integrity-files.js';
import { openBackends, openKeyStore } from '../open-backends.js';
import { sampleEvent, sampleInteraction } from '../test-support/sample-records.js';
import { bearer, startTestServer } from '../test-support/test-server.js';

let db: TestDatabase;
let dataDir: string;
let server: AuditrailServer;
let storage: SqlStorage;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  db = await createTestDatabase('auditrail_integrity');
  dataDir = `/tmp/auditrail-integrity-${db.name}`;
  const env = { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_ASYNC_BATCH_INTERVAL_MS: '0', AUDITRAIL_CHECKPOINT_EVERY_RECORDS: '3' };
  const { config } = await loadConfig({ env });
  const keys = await openKeyStore(config);
  keyA = (await keys.create({ orgId: 'int_a', scopes: ['ingest', 'read'] })).token;
  keyB = (await keys.create({ orgId: 'int_b', scopes: ['ingest', 'read'] })).token;
  await keys.close();
  const backends = await openBackends(config);
  storage = backends.storage as SqlStorage;
  server = createAuditrailServer({ config, storage: backends.storage, keyStore: backends.keyStore, logger: pino({ level: 'silent' }) });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const ingest = async (key: string, records: object[]) => {
  const res = await server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(key), payload: records });
  expect(res.statusCode).toBe(200);
};

describe('GET /v1/checkpoints and /v1/verify', () => {
  it('lists the org’s signed checkpoints with the key that verifies them, and verifies clean', async () => {
    await ingest(keyA, [sampleInteraction({ orgId: undefined }), sampleEvent({ orgId: undefined }), sampleEvent({ orgId: undefined }), sampleEvent({ orgId: undefined })]);
    await ingest(keyB, [sampleEvent({ orgId: undefined })]);
    await storage.flushCheckpointLog();
    const cp = (await server.app.inject({ url: '/v1/checkpoints', headers: bearer(keyA) })).json<{ orgId: string; publicKeys: { keyId: string }[]; items: { orgId: string; keyId: string; toSeq: number }[] }>();
    expect(cp.orgId).toBe('int_a');
    expect(cp.items.length).toBeGreaterThanOrEqual(1);
    expect(cp.items.every((c) => c.orgId === 'int_a' && cp.publicKeys.some((k) => k.keyId === c.keyId))).toBe(true);
    const report = (await server.app.inject({ url: '/v1/verify', headers: bearer(keyA) })).json<{ ok: boolean; orgId: string; records: { checked: number } }>();
    expect(report).toMatchObject({ ok: true, orgId: 'int_a' });
    // 4 ingested records plus the access-audit events of the reads above, all chained
    expect(report.records.checked).toBeGreaterThanOrEqual(4);
  });

  it('streams progress then the report as NDJSON', async () => {
    const res = await server.app.inject({ url: '/v1/verify', headers: { ...bearer(keyB), accept: 'application/x-ndjson' } });
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { type: string; ok?: boolean; orgId?: string });
    expect(lines.at(-1)).toMatchObject({ type: 'result', ok: true, orgId: 'int_b' });
    expect(lines.slice(0, -1).every((l) => l.type === 'progress')).toBe(true);
  });

  it('gives an inclusion proof of a record of the key’s org, and 404 for another org’s', async () => {
    const events = Array.from({ length: 3 }, () => sampleEvent({ orgId: undefined }));
    await ingest(keyB, events);
    const id = events[0]!.eventId;
    const res = await server.app.inject({ url: `/v1/proofs/${id}`, headers: bearer(keyB) });
    expect(res.statusCode).toBe(200);
    const proof = res.json<{ recordId: string; orgId: string; checkpoint: { keyId: string } }>();
    expect(proof).toMatchObject({ recordId: id, orgId: 'int_b' });
    const other = await server.app.inject({ url: `/v1/proofs/${id}`, headers: bearer(keyA) });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('int_b');
  });

  it('exports the org chain so that a verifier outside auditrail checks it with the public keys alone', async () => {
    const res = await server.app.inject({ url: '/v1/chain', headers: bearer(keyB) });
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { type: string; orgId?: string; head?: { seq: number; hash: string }; checkpoint?: unknown; seq?: number; hash?: string; record?: AuditRecord });
    const [header, ...rest] = lines;
    expect(header).toMatchObject({ type: 'auditrail.chain-export.v1', orgId: 'int_b' });
    const records = rest.filter((l) => l.type === 'record');
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.record!.orgId === 'int_b')).toBe(true);
    const { publicKeys } = (await server.app.inject({ url: '/v1/checkpoints', headers: bearer(keyB) })).json<{ publicKeys: { publicKey: string }[] }>();
    const report = await verifyChain({
      orgId: 'int_b',
      publicKeys: createPublicKeyring(publicKeys.map((k) => k.publicKey)),
      checkpoints: rest.filter((l) => l.type === 'checkpoint').map((l) => l.checkpoint),
      storedHead: { seq: header!.head!.seq, hash: Buffer.from(header!.head!.hash, 'hex') },
      records: records.map((r) => ({ seq: r.seq!, hash: r.hash!, record: r.record! })),
    });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.records.checked).toBe(records.length);
  });

  it('names a record changed in the database, for its own org only', async () => {
    await storage.driver.query(`UPDATE events SET action_name = 'tampered' WHERE org_id = 'int_a' AND seq = 2`);
    const a = (await server.app.inject({ url: '/v1/verify', headers: bearer(keyA) })).json<{ ok: boolean; findings: { kind: string; seq?: number }[] }>();
    expect(a.ok).toBe(false);
    expect(a.findings).toContainEqual(expect.objectContaining({ kind: 'record-altered', seq: 2 }));
    const b = (await server.app.inject({ url: '/v1/verify', headers: bearer(keyB) })).json<{ ok: boolean }>();
    expect(b.ok).toBe(true);
  });

  it('keeps the signing key and the external log under data_dir/integrity by default', async () => {
    const { config } = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir } });
    const paths = integrityPaths(config);
    expect(paths.signingKeyFile).toBe(`${dataDir}/integrity/signing-key.pem`);
    const { readFile, stat } = await import('node:fs/promises');
    expect((await stat(paths.signingKeyFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(paths.checkpointLog, 'utf8')).toContain('"orgId":"int_a"');
  });

  it('answers 404 INTEGRITY_UNAVAILABLE on a storage that keeps no chain', async () => {
    const t = await startTestServer();
    try {
      const res = await t.server.app.inject({ url: '/v1/verify', headers: bearer(t.keyA) });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'AUDITRAIL_ERR_INTEGRITY_UNAVAILABLE' });
    } finally {
      await t.close();
    }
  });
});

import { rm, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../../src/encryption/master-key.js';
import { createTestDatabase, type TestDatabase } from '../../src/storage/postgres/test-support/test-database.js';
import type { SqlStorage } from '../../src/storage/sql/sql-storage.js';
import { loadConfig } from '../../src/server/config/load-config.js';
import { createAuditrailServer, type AuditrailServer } from '../../src/server/create-server.js';
import { openBackends, openKeyStore } from '../../src/server/open-backends.js';
import { sampleInteraction } from '../../src/server/test-support/sample-records.js';
import { bearer } from '../../src/server/test-support/test-server.js';
import { runCli } from '../../src/cli/test-support/run-cli.js';

let db: TestDatabase;
let dataDir: string;
let keyFile: string;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase('auditrail_encryption');
  dataDir = `/tmp/auditrail-encryption-${db.name}`;
  keyFile = `${dataDir}.master.key`;
  await writeFile(keyFile, generateMasterKey(), { mode: 0o400 });
  const { config } = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir } });
  const keys = await openKeyStore(config);
  token = (await keys.create({ orgId: 'enc_a', scopes: ['ingest', 'read'] })).token;
  await keys.close();
}, 60_000);
afterAll(async () => {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(keyFile, { force: true });
});

async function start(env: Record<string, string>): Promise<{ server: AuditrailServer; storage: SqlStorage }> {
  const { config } = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_ASYNC_BATCH_INTERVAL_MS: '0', AUDITRAIL_REDACTION_ENABLED: 'false', ...env } });
  const backends = await openBackends(config);
  const server = createAuditrailServer({ config, storage: backends.storage, keyStore: backends.keyStore, logger: pino({ level: 'silent' }), ...(backends.encryption ? { encryption: backends.encryption } : {}) });
  return { server, storage: backends.storage as SqlStorage };
}

describe('field encryption through the server (PostgreSQL)', () => {
  const record = sampleInteraction({ orgId: undefined, question: 'why is payments-api crashing?', finalAnswer: 'OOMKilled: the memory limit is 256Mi' });

  it('stores the chosen fields encrypted, answers them decrypted, refuses search, and still verifies', async () => {
    const { server, storage } = await start({ AUDITRAIL_ENCRYPTION_ENABLED: 'true', AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE: keyFile });
    try {
      const res = await server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(token), payload: [record] });
      expect(res.statusCode).toBe(200);
      const [row] = await storage.driver.query<{ question: string; final_answer: string; model_name: string }>('SELECT question, final_answer, model_name FROM interactions');
      expect(row!.question).toMatch(/^enc:v1:/);
      expect(row!.final_answer).toMatch(/^enc:v1:/);
      expect(row!.question).not.toContain('payments');
      expect(row!.model_name).toBe(record.model); // filters and analytics keep working on clear fields
      const one = (await server.app.inject({ url: `/v1/interactions/${record.interactionId}`, headers: bearer(token) })).json<{ question: string; finalAnswer: string }>();
      expect(one).toMatchObject({ question: record.question, finalAnswer: record.finalAnswer });
      const list = (await server.app.inject({ url: '/v1/interactions', headers: bearer(token) })).json<{ items: { question: string }[] }>();
      expect(list.items.map((i) => i.question)).toEqual([record.question]);
      const search = await server.app.inject({ url: '/v1/interactions?search=payments', headers: bearer(token) });
      expect(search.statusCode).toBe(400);
      expect(search.json()).toMatchObject({ code: 'AUDITRAIL_ERR_SEARCH_UNAVAILABLE' });
      const verify = (await server.app.inject({ url: '/v1/verify', headers: bearer(token) })).json<{ ok: boolean }>();
      expect(verify.ok).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('says so instead of showing ciphertext when the master key is missing', async () => {
    const { server } = await start({});
    try {
      const res = await server.app.inject({ url: `/v1/interactions/${record.interactionId}`, headers: bearer(token) });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE' });
      expect(res.body).not.toContain('enc:v1:');
    } finally {
      await server.close();
    }
  });

  it('rotates and destroys data keys with auditrail keys encryption, without rewriting records', async () => {
    const env = { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE: keyFile, AUDITRAIL_ENCRYPTION_ENABLED: 'true' };
    const listed = await runCli(['keys', 'encryption', 'list', '--org', 'enc_a', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ orgId: 'enc_a', version: 1, active: true }]);
    const rotated = await runCli(['keys', 'encryption', 'rotate', '--org', 'enc_a'], env);
    expect(rotated.stdout).toContain('data key version 2');
    const second = sampleInteraction({ orgId: undefined, question: 'sealed under version 2' });
    const { server, storage } = await start({ AUDITRAIL_ENCRYPTION_ENABLED: 'true', AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE: keyFile });
    try {
      expect((await server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(token), payload: [second] })).statusCode).toBe(200);
      const rows = await storage.driver.query<{ question: string }>('SELECT question FROM interactions ORDER BY created_at, interaction_id');
      expect(rows.map((r) => r.question.split(':').slice(0, 3).join(':')).sort()).toEqual(['enc:v1:1', 'enc:v1:2']);
      const both = (await server.app.inject({ url: '/v1/interactions', headers: bearer(token) })).json<{ items: { question: string }[] }>();
      expect(both.items.map((i) => i.question).sort()).toEqual([record.question, second.question].sort());
    } finally {
      await server.close();
    }
    const refused = await runCli(['keys', 'encryption', 'destroy', '--org', 'enc_a', '--key-version', '1'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const destroyed = await runCli(['keys', 'encryption', 'destroy', '--org', 'enc_a', '--key-version', '1', '--yes'], env);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    const after = await start({ AUDITRAIL_ENCRYPTION_ENABLED: 'true', AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE: keyFile });
    try {
      const gone = await after.server.app.inject({ url: `/v1/interactions/${record.interactionId}`, headers: bearer(token) });
      expect(gone.statusCode).toBeGreaterThanOrEqual(500);
      expect(gone.body).not.toContain('enc:v1:');
      const kept = (await after.server.app.inject({ url: `/v1/interactions/${second.interactionId}`, headers: bearer(token) })).json<{ question: string }>();
      expect(kept.question).toBe(second.question);
      // crypto-shredding leaves the chain intact: verify still passes
      expect((await after.server.app.inject({ url: '/v1/verify', headers: bearer(token) })).json<{ ok: boolean }>().ok).toBe(true);
    } finally {
      await after.server.close();
    }
  });

  it('refuses to start with encryption enabled and no master key, or an unreadable one', async () => {
    const { config } = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_ENCRYPTION_ENABLED: 'true' } });
    await expect(openBackends(config)).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_CONFIG_INVALID' });
    const missing = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_ENCRYPTION_ENABLED: 'true', AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE: '/nonexistent/master.key' } });
    await expect(openBackends(missing.config)).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE' });
  });
});

import { rm, writeFile } from 'node:fs/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../encryption/master-key.js';
import { createTestDatabase, type TestDatabase } from '../storage/postgres/test-support/test-database.js';
import type { SqlStorage } from '../storage/sql/sql-storage.js';
import { loadConfig } from './config/load-config.js';
import { createAuditrailServer, type AuditrailServer } from './create-server.js';
import { openBackends, openKeyStore } from './open-backends.js';
import { sampleInteraction } from './test-support/sample-records.js';
import { bearer } from './test-support/test-server.js';

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

  it('refuses to start with encryption enabled and no master key, or an unreadable one', async () => {
    const { config } = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_ENCRYPTION_ENABLED: 'true' } });
    await expect(openBackends(config)).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_CONFIG_INVALID' });
    const missing = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_ENCRYPTION_ENABLED: 'true', AUDITRAIL_ENCRYPTION_MASTER_KEY_FILE: '/nonexistent/master.key' } });
    await expect(openBackends(missing.config)).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE' });
  });
});

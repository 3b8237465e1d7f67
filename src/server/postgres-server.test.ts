import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../core/query.js';
import { createTestDatabase, type TestDatabase } from '../storage/postgres/test-support/test-database.js';
import { loadConfig } from './config/load-config.js';
import { createAuditrailServer, type AuditrailServer } from './create-server.js';
import { openBackends, openKeyStore } from './open-backends.js';
import { IngestResponseSchema, InteractionDetailSchema, InteractionPageSchema } from './openapi/response-schemas.js';
import { sampleEvent, sampleInteraction } from './test-support/sample-records.js';
import { bearer } from './test-support/test-server.js';

let db: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  db = await createTestDatabase('auditrail_server');
  dataDir = `/tmp/auditrail-pg-server-${db.name}`;
}, 60_000);
afterAll(async () => {
  await db.drop();
});

async function start(): Promise<AuditrailServer> {
  const { config } = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_ASYNC_BATCH_INTERVAL_MS: '0' } });
  expect(config.storage.type).toBe('postgres');
  const { storage, keyStore } = await openBackends(config);
  return createAuditrailServer({ config, storage, keyStore, logger: pino({ level: 'silent' }) });
}

describe('the server on PostgreSQL', () => {
  it('keeps keys hashed in the database and data across restarts, with per-record results and isolation', async () => {
    const { config } = await loadConfig({ env: { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir } });
    const keys = await openKeyStore(config);
    const a = (await keys.create({ orgId: 'pg_a', scopes: ['ingest', 'read'] })).token;
    const b = (await keys.create({ orgId: 'pg_b', scopes: ['ingest', 'read'] })).token;
    await keys.close();

    let server = await start();
    const i = sampleInteraction({ orgId: undefined, question: '支付服务 OOMKilled 为什么', finalAnswer: '内存限制太低' });
    const e = sampleEvent({ orgId: undefined, interactionId: i.interactionId, eventType: 'approval_denied' });
    const res = await server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(a), payload: [i, e, i, sampleEvent({ orgId: 'pg_b' })] });
    expect(IngestResponseSchema.parse(res.json()).results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'duplicate', 'rejected']);
    await server.close();

    server = await start();
    try {
      const detail = InteractionDetailSchema.parse((await server.app.inject({ url: `/v1/interactions/${i.interactionId}`, headers: bearer(a) })).json());
      expect(detail.question).toBe(i.question);
      expect(detail.events.map((x) => x.eventId)).toEqual([e.eventId]);
      const other = await server.app.inject({ url: `/v1/interactions/${i.interactionId}`, headers: bearer(b) });
      expect(other.statusCode).toBe(404);
      const list = InteractionPageSchema.parse((await server.app.inject({ url: '/v1/interactions', headers: bearer(b) })).json());
      expect(list.items).toEqual([]);
      const exported = await server.app.inject({ url: '/v1/export?kind=events', headers: bearer(b) });
      expect(exported.body).not.toContain(e.eventId);
      // the access audit of org b's reads is in org b, not in org a
      const { config: c } = await loadConfig({ env: { DATABASE_URL: db.connectionString } });
      const { storage } = await openBackends({ ...c, storage: { ...c.storage, data_dir: dataDir } });
      try {
        expect(await storage.countEvents(parseQuery({ orgId: 'pg_b', agentId: 'auditrail-server' }))).toBe(3);
        expect(await storage.countEvents(parseQuery({ orgId: 'pg_a', agentId: 'auditrail-server' }))).toBe(1);
      } finally {
        await storage.close();
      }
    } finally {
      await server.close();
    }
  });
});

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../core/ids.js';
import { parseQuery } from '../core/query.js';
import { createTcpProxy, type TcpProxy } from '../storage/postgres/test-support/tcp-proxy.js';
import { createTestDatabase, TEST_SERVER, type TestDatabase } from '../storage/postgres/test-support/test-database.js';
import { loadConfig } from './config/load-config.js';
import { createAuditrailServer, type AuditrailServer } from './create-server.js';
import { openBackends, openKeyStore } from './open-backends.js';
import { bearer } from './test-support/test-server.js';

let db: TestDatabase;
let proxy: TcpProxy;
beforeAll(async () => {
  db = await createTestDatabase('auditrail_outage');
  proxy = await createTcpProxy(TEST_SERVER);
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await db.drop();
});

const OUTAGE_MS = 30_000;
const CLIENTS = 4;
const BATCHES_PER_CLIENT = 30;
const BATCH = 50;

function batch(): { eventId: string }[] {
  return Array.from({ length: BATCH }, (_, i) => ({
    kind: 'event',
    eventId: uuidv7(),
    eventType: 'action_completed',
    timestamp: new Date().toISOString(),
    userId: 'u',
    agentId: 'outage-test',
    sessionId: 's',
    actionId: `a${i}`,
    actionName: 'kubectl_get_pods',
  }));
}

describe('the database going away under load', () => {
  it(`for ${OUTAGE_MS / 1000} s loses nothing: the server holds or refuses (503 + Retry-After), clients retry, every record is stored once`, async () => {
    const url = db.connectionString.replace(`:${TEST_SERVER.port}/`, `:${proxy.port}/`);
    const { config } = await loadConfig({ env: { DATABASE_URL: url, AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_ASYNC_QUEUE_SIZE: '100', AUDITRAIL_DATA_DIR: `/tmp/${db.name}` } });
    const keys = await openKeyStore(config);
    const key = (await keys.create({ orgId: 'outage', scopes: ['ingest'] })).token;
    await keys.close();
    const { storage, keyStore } = await openBackends(config);
    const server: AuditrailServer = createAuditrailServer({ config, storage, keyStore, logger: pino({ level: process.env.TEST_LOG ?? 'silent' }) });
    const refusals: Record<string, number> = {};
    const acked = new Set<string>();
    const sent = new Set<string>();
    const client = async () => {
      for (let b = 0; b < BATCHES_PER_CLIENT; b++) {
        const records = batch();
        for (const r of records) sent.add(r.eventId);
        for (;;) {
          const res = await server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(key), payload: records });
          if (res.statusCode === 200) {
            for (const r of res.json<{ results: { id: string; status: string }[] }>().results) if (r.status !== 'rejected') acked.add(r.id);
            break;
          }
          expect(res.statusCode, res.body).toBe(503);
          const code = res.json<{ code: string }>().code;
          refusals[code] = (refusals[code] ?? 0) + 1;
          await new Promise((r) => setTimeout(r, Math.min(1000, Number(res.headers['retry-after']) * 1000)));
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      const running = Promise.all(Array.from({ length: CLIENTS }, client));
      await new Promise((r) => setTimeout(r, 1000));
      proxy.down();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      proxy.up();
      await running;
      expect(Object.values(refusals).reduce((a, b) => a + b, 0), 'no backpressure was seen during the outage').toBeGreaterThan(0);
      expect(acked.size).toBe(CLIENTS * BATCHES_PER_CLIENT * BATCH);
      expect([...sent].every((id) => acked.has(id))).toBe(true);
      expect(await storage.countEvents(parseQuery({ orgId: 'outage', agentId: 'outage-test' }))).toBe(sent.size);
    } finally {
      await server.close();
    }
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, type AuditRecord } from '../../core/index.js';
import { FIXTURE_START_MS, makeEvent, makeInteraction } from '../contract/fixtures.js';
import { createPostgresStorage } from './create-postgres-storage.js';
import { createTcpProxy, type TcpProxy } from './test-support/tcp-proxy.js';
import { createTestDatabase, TEST_SERVER, type TestDatabase } from './test-support/test-database.js';

const q = parseQuery;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const open = (extra: Record<string, unknown> = {}) =>
  createPostgresStorage({ connectionString: db.connectionString, partitionsAheadDays: 0, searchIndexIntervalMs: 0, ...extra });

async function truncateAll(): Promise<void> {
  const s = await open();
  await s.driver.exec('TRUNCATE record_ids, sessions, interactions, thoughts, tool_calls, performance_metrics, events, search_pending, interaction_search');
  await s.close();
}

function interactionsOfOneSession(n: number, sessionId: string, offsetMs = 0): AuditRecord[] {
  return Array.from({ length: n }, (_, k) =>
    makeInteraction({
      sessionId,
      timestamp: new Date(FIXTURE_START_MS + offsetMs + k * 1000).toISOString(),
      toolCalls: [{ sequence: 0, name: 'kubectl_get', input: { k } }],
      thoughts: [{ sequence: 0, content: `t${k}` }],
      metrics: [{ name: 'llm', durationMs: k }],
    }),
  );
}

describe('postgres storage under concurrency', () => {
  it('stores each record once when two writers send overlapping batches of the same new session at once, and a batch is replayed', async () => {
    await truncateAll();
    const [a, b] = await Promise.all([open(), open()]);
    try {
      const records = interactionsOfOneSession(300, 'sess-race');
      const events = Array.from({ length: 100 }, (_, k) => makeEvent({ sessionId: 'sess-race', timestamp: new Date(FIXTURE_START_MS + k).toISOString() }));
      const batchA = [...records.slice(0, 200), ...events.slice(0, 60)];
      const batchB = [...records.slice(100, 300).reverse(), ...events.slice(40)];
      const results = await Promise.all([a.append(batchA), b.append(batchB), a.append(batchA), b.append(batchA)]);
      const accepted = results.reduce((n, r) => n + r.accepted, 0);
      expect(accepted).toBe(400);
      for (const r of results) expect(r.results.every((x) => x.status === 'accepted' || x.status === 'duplicate')).toBe(true);
      expect(await a.countInteractions(q({}))).toBe(300);
      expect(await a.countEvents(q({}))).toBe(100);
      const sessions = await b.querySessions(q({ orgId: 'org_a' }));
      expect(sessions.items.map((s) => [s.sessionId, s.interactionCount])).toEqual([['sess-race', 300]]);
      const rows = await a.driver.query<{ n: number }>('SELECT count(*)::int8 AS n FROM tool_calls');
      expect(rows[0]!.n).toBe(300);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('lets many writers create the same session at the same moment without an error', async () => {
    await truncateAll();
    const writers = await Promise.all(Array.from({ length: 4 }, () => open()));
    try {
      const batches = writers.map((_, w) => interactionsOfOneSession(25, 'sess-new', w * 100_000));
      const results = await Promise.all(writers.map((s, w) => s.append(batches[w]!)));
      expect(results.map((r) => r.accepted)).toEqual([25, 25, 25, 25]);
      const s = (await writers[0]!.querySessions(q({ sessionId: 'sess-new' }))).items;
      expect(s).toHaveLength(1);
      expect(s[0]!.interactionCount).toBe(100);
      expect(s[0]!.firstSeen).toBe(new Date(FIXTURE_START_MS).toISOString());
    } finally {
      await Promise.all(writers.map((s) => s.close()));
    }
  });
});

describe('postgres storage when the database goes away', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await createTcpProxy(TEST_SERVER);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('loses nothing and doubles nothing while connections are killed in the middle of writes', async () => {
    await truncateAll();
    const retries: string[] = [];
    const storage = await open({ writeRetry: { initialDelayMs: 20, maxDelayMs: 200, timeoutMs: 30_000 }, onDiagnostic: (d: { type: string }) => retries.push(d.type) });
    try {
      const batches = Array.from({ length: 40 }, (_, k) => interactionsOfOneSession(50, `sess-${k % 3}`, k * 60_000));
      let stop = false;
      const killer = (async () => {
        let kills = 0;
        while (!stop) {
          await new Promise((r) => setTimeout(r, 15 + Math.random() * 25));
          kills += await db.terminateConnections();
        }
        return kills;
      })();
      const results = await Promise.all(batches.map((b, k) => new Promise((r) => setTimeout(r, k * 10)).then(() => storage.append(b)))).finally(() => (stop = true));
      const kills = await killer;
      expect(kills, 'connections were killed during the writes').toBeGreaterThan(0);
      expect(retries.filter((t) => t === 'write-retry').length, 'some batch was retried').toBeGreaterThan(0);
      // A batch whose COMMIT went through but whose answer was lost is retried and reports its
      // records as duplicates: either way each record is stored once.
      expect(results.every((r) => r.results.length === 50)).toBe(true);
      expect(await storage.countInteractions(q({}))).toBe(2000);
      const children = await storage.driver.query<{ t: number; c: number; m: number; s: number }>(
        `SELECT (SELECT count(*) FROM thoughts)::int8 AS t, (SELECT count(*) FROM tool_calls)::int8 AS c,
                (SELECT count(*) FROM performance_metrics)::int8 AS m, (SELECT sum(interaction_count) FROM sessions)::int8 AS s`,
      );
      expect(children[0]).toEqual({ t: 2000, c: 2000, m: 2000, s: 2000 });
    } finally {
      await storage.close();
    }
  });

  it('waits for the database to come back, then stores the batch whole', async () => {
    await truncateAll();
    const url = `postgres://${TEST_SERVER.user}@127.0.0.1:${proxy.port}/${db.name}`;
    const storage = await createPostgresStorage({ connectionString: url, partitionsAheadDays: 0, searchIndexIntervalMs: 0, writeRetry: { initialDelayMs: 50, maxDelayMs: 300, timeoutMs: 30_000 } });
    try {
      await storage.append(interactionsOfOneSession(10, 'before'));
      proxy.down();
      const pending = storage.append(interactionsOfOneSession(100, 'during', 3_600_000));
      await new Promise((r) => setTimeout(r, 1_500));
      proxy.up();
      const result = await pending;
      expect(result.accepted).toBe(100);
      expect(await storage.countInteractions(q({}))).toBe(110);
    } finally {
      proxy.up();
      await storage.close();
    }
  });

  it('rejects with a retryable STORAGE_UNAVAILABLE, storing nothing, when the database stays away past the deadline', async () => {
    await truncateAll();
    const url = `postgres://${TEST_SERVER.user}@127.0.0.1:${proxy.port}/${db.name}`;
    const storage = await createPostgresStorage({ connectionString: url, partitionsAheadDays: 0, searchIndexIntervalMs: 0, connectionTimeoutMs: 500, writeRetry: { initialDelayMs: 50, maxDelayMs: 100, timeoutMs: 1_000 } });
    try {
      proxy.down();
      const err = await storage.append(interactionsOfOneSession(5, 'lost')).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(err?.code).toBe('AUDITRAIL_ERR_STORAGE_UNAVAILABLE');
      proxy.up();
      expect(await storage.countInteractions(q({}))).toBe(0);
    } finally {
      proxy.up();
      await storage.close();
    }
  });
});

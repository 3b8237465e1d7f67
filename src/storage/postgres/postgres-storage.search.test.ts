import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesSearch, parseQuery, type Interaction } from '../../core/index.js';
import { comparableRecord, expectedStored, FIXTURE_START_MS, generateDataset, makeEvent, makeInteraction } from '../contract/fixtures.js';
import { createPostgresStorage, type PostgresStorage } from './create-postgres-storage.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

let db: TestDatabase;
let storage: PostgresStorage;
const stored: Interaction[] = [];

const CHINESE = [
  makeInteraction({ question: 'prod-bj 集群状态怎么样？', finalAnswer: '集群正常，3 个节点就绪', timestamp: new Date(FIXTURE_START_MS + 10).toISOString() }),
  makeInteraction({ question: '查看节点的内存', finalAnswer: '节点内存使用 70%', timestamp: new Date(FIXTURE_START_MS + 20).toISOString() }),
  makeInteraction({ question: 'Kubernetes 多集群管理', finalAnswer: null, timestamp: new Date(FIXTURE_START_MS + 30).toISOString() }),
  makeInteraction({ question: '群集 is not 集 群', finalAnswer: 'no match for the term 集群 here? it is in this answer', timestamp: new Date(FIXTURE_START_MS + 40).toISOString() }),
];

beforeAll(async () => {
  db = await createTestDatabase();
  storage = await createPostgresStorage({ connectionString: db.connectionString, partitionsAheadDays: 0, searchIndexIntervalMs: 0, searchIndexBatchSize: 50 });
  const data = generateDataset({ seed: 3, events: 50, interactions: 300 });
  const all = [...data.interactions, ...CHINESE];
  // Half indexed, half still pending: a search must see both.
  await storage.append(all.slice(0, 200));
  expect(await storage.flushSearchIndex()).toBe(200);
  await storage.append(all.slice(200));
  stored.push(...all.map((i) => expectedStored(i)));
});
afterAll(async () => {
  await storage.close();
  await db.drop();
});

async function expectSearch(search: string, orgId?: string): Promise<number> {
  const want = stored
    .filter((i) => matchesSearch(i, search) && (orgId === undefined || i.orgId === orgId))
    .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || (a.interactionId < b.interactionId ? 1 : -1))
    .map((i) => i.interactionId);
  const got = await storage.queryInteractions(parseQuery({ search, limit: 1000, ...(orgId ? { orgId } : {}) }));
  expect(got.items.map((i) => i.interactionId), search).toEqual(want);
  expect(await storage.countInteractions(parseQuery({ search, ...(orgId ? { orgId } : {}) }))).toBe(want.length);
  return want.length;
}

describe('search over indexed and pending interactions', () => {
  it('has some interactions indexed and some pending', async () => {
    const rows = await storage.driver.query<{ s: number; p: number }>('SELECT (SELECT count(*) FROM interaction_search)::int8 AS s, (SELECT count(*) FROM search_pending)::int8 AS p');
    expect(rows[0]).toEqual({ s: 200, p: 104 });
  });

  it('finds Chinese two-character words such as 集群 in questions and answers', async () => {
    expect(await expectSearch('集群')).toBe(3);
    expect(await expectSearch('节点')).toBeGreaterThan(1);
    expect(await expectSearch('集群状态')).toBe(1);
    expect(await expectSearch('群集')).toBe(1);
    expect(await expectSearch('集')).toBe(3);
  });

  it('matches the reference for Latin terms of every length, several terms, and LIKE metacharacters', async () => {
    for (const s of ['nginx', 'NGINX restart', 'CrashLoopBackOff', 'pod', 'k', 'no', '95%', 'kube_system', 'kube-system', '_', '%', 'nowhere-at-all']) await expectSearch(s);
    await expectSearch('nginx', 'org_b');
  });

  it('keeps giving the same answers once everything is indexed', async () => {
    await storage.flushSearchIndex();
    expect(await expectSearch('集群')).toBe(3);
    for (const s of ['nginx 重启', 'Pod CrashLoopBackOff', '95%', '错误日志']) await expectSearch(s);
  });
});

describe('search past the scan budget', () => {
  it('finds rare terms behind more rows than a scan looks at, page after page, in both orders', async () => {
    // 2,100 newer interactions without the term: the first 2,000 rows scanned hold no match, so
    // the rest of each page comes from the search index.
    const filler = Array.from({ length: 2_100 }, (_, k) =>
      makeInteraction({ question: `filler question ${k}`, finalAnswer: 'nothing to see', timestamp: new Date(FIXTURE_START_MS + 86_400_000 + k * 1000).toISOString() }),
    );
    for (let i = 0; i < filler.length; i += 700) await storage.append(filler.slice(i, i + 700));
    await storage.flushSearchIndex();
    stored.push(...filler.map((i) => expectedStored(i)));
    for (const s of ['集群', 'crashloopbackoff', 'filler question 20']) await expectSearch(s);
    for (const order of ['desc', 'asc'] as const) {
      const want = stored
        .filter((i) => matchesSearch(i, '集群 prod-bj') || matchesSearch(i, 'nginx'))
        .filter((i) => matchesSearch(i, 'nginx'))
        .sort((a, b) => (order === 'desc' ? -1 : 1) * (Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.interactionId < b.interactionId ? -1 : 1)))
        .map((i) => i.interactionId);
      const got: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await storage.queryInteractions(parseQuery({ search: 'nginx', limit: 3, order, ...(cursor ? { cursor } : {}) }));
        got.push(...page.items.map((i) => i.interactionId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(got).toEqual(want);
    }
  });
});

describe('text PostgreSQL cannot hold', () => {
  it('stores NUL characters and unpaired surrogates and reads them back exactly, and filters on them', async () => {
    const odd = makeInteraction({
      sessionId: 'sess\u0000nul',
      question: 'before\u0000after \ud800 alone',
      finalAnswer: '\ufdd0starts with the escape marker',
      thoughts: [{ sequence: 0, content: 'x\u0000y' }],
      toolCalls: [{ sequence: 0, name: 'tool\u0000name', input: { s: 'nul\u0000in json', lone: '\udc00' }, observation: 'out\u0000put' }],
      metadata: { k: 'v\u0000' },
      timestamp: new Date(FIXTURE_START_MS + 50).toISOString(),
    });
    const event = makeEvent({ reason: 'r\u0000', actionParams: { p: '\u0000' }, timestamp: new Date(FIXTURE_START_MS + 60).toISOString() });
    expect((await storage.append([odd, event])).accepted).toBe(2);
    expect(comparableRecord((await storage.getInteraction(odd.interactionId))!)).toEqual(comparableRecord(expectedStored(odd)));
    expect(comparableRecord((await storage.getEvent(event.eventId))!)).toEqual(comparableRecord(expectedStored(event)));
    const bySession = await storage.queryInteractions(parseQuery({ sessionId: 'sess\u0000nul' }));
    expect(bySession.items.map((i) => i.interactionId)).toEqual([odd.interactionId]);
  });
});

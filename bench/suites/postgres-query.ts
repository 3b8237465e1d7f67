/**
 * `npm run bench -- postgres-query`: read latencies on 1,000,000 interactions (BENCH_QUICK=1:
 * 100,000) in the full schema, built by a set-based SQL loader (see postgres-support/load-million.ts),
 * through the storage's read API. Each query runs RUNS times with varying parameters after a
 * warm-up; the figure is the p95 in ms against the goal (10 ms for the point and page
 * reads, 100 ms for a day's analytics and a search).
 *
 * The data set takes minutes to build on a busy 2-core machine: BENCH_PG_KEEP=1 keeps the
 * database (auditrail_bench_query_<n>) for the next run instead of dropping it.
 */
import pg from 'pg';
import { parseAnalyticsQuery } from '../../src/core/analytics.js';
import { parseQuery } from '../../src/core/query.js';
import { createPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/create-postgres-storage.js';
import { TEST_SERVER } from '../../src/storage/postgres/test-support/test-database.js';
import { figure, percentiles, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';
import { DATA_DAYS, DATA_START, loadMillion } from './postgres-support/load-million.js';

const RUNS = 60;
const ORGS = 5;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ ...TEST_SERVER, database: 'postgres' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function openDataset(ctx: BenchContext, n: number): Promise<{ storage: PostgresStorage; name: string }> {
  const name = `auditrail_bench_query_${n}`;
  const exists = await admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
  const url = `postgres://${TEST_SERVER.user}@${TEST_SERVER.host}:${TEST_SERVER.port}/${name}`;
  const open = () => createPostgresStorage({ connectionString: url, partitionsAheadDays: 0, searchIndexIntervalMs: 0, maxConnections: 4 });
  if (exists) {
    const storage = await open();
    const rows = await storage.driver.query<{ n: number }>('SELECT count(*)::int8 AS n FROM record_ids');
    if (rows[0]?.n === n) {
      ctx.log(`reusing ${name}`);
      return { storage, name };
    }
    await storage.close();
    await admin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
  }
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const storage = await open();
  const t = performance.now();
  ctx.log(`building ${n} interactions in ${name}...`);
  await loadMillion(storage.driver, n, (m) => ctx.log(m));
  await storage.driver.exec('ANALYZE');
  ctx.log(`built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return { storage, name };
}

async function p95(run: (k: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let k = 0; k < 5; k++) await run(k);
  const ms: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t = performance.now();
    await run(k);
    ms.push(performance.now() - t);
  }
  const [a, b] = percentiles(ms, [50, 95]);
  return { p50: a!, p95: b! };
}

async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const n = ctx.quick ? 100_000 : 1_000_000;
  const { storage, name } = await openDataset(ctx, n);
  try {
    const org = (k: number) => `org-${k % ORGS}`;
    const sessions = n / 10;
    const sample = await storage.driver.query<{ id: string; org_id: string }>(`SELECT id, org_id FROM record_ids TABLESAMPLE SYSTEM (1) LIMIT ${RUNS + 5}`);
    const day = (k: number) => new Date(Date.parse(DATA_START) + ((k * 7) % DATA_DAYS) * 86_400_000).toISOString();
    const results: [string, string, { p50: number; p95: number }, number][] = [];
    const measure = async (fig: string, label: string, goal: number, fn: (k: number) => Promise<unknown>) => {
      const r = await p95(fn);
      ctx.log(`${label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
      results.push([fig, label, r, goal]);
    };
    // The machine's own noise in this run: a primary-key lookup of one row (no partitions).
    await measure('query.baseline_pk_lookup_p95_ms', 'baseline: one record_ids row by primary key (machine noise)', 10, (k) =>
      storage.driver.query('SELECT created_at FROM record_ids WHERE id = $1', [sample[k % sample.length]!.id], { plan: 'generic' }),
    );
    await measure('query.one_session_p95_ms', 'one session (its interactions with children)', 10, (k) => {
      const s = (k * 7919) % sessions;
      return storage.queryInteractions(parseQuery({ orgId: `org-${s % ORGS}`, sessionId: `session-${s}`, limit: 100 }));
    });
    await measure('query.last_100_of_org_p95_ms', 'the last 100 interactions of an org (with children)', 10, (k) => storage.queryInteractions(parseQuery({ orgId: org(k), limit: 100 })));
    await measure('query.interaction_with_children_p95_ms', 'one interaction with its thoughts, tool calls and metrics', 10, (k) => {
      const r = sample[k % sample.length]!;
      return storage.getInteraction(r.id, r.org_id);
    });
    await measure('query.day_analytics_by_model_p95_ms', "a day's analytics of an org by model and hour (percentile_cont)", 100, (k) =>
      storage.analytics(parseAnalyticsQuery({ orgId: org(k), from: day(k), to: new Date(Date.parse(day(k)) + 86_400_000).toISOString(), bucket: 'hour', groupBy: 'model' })),
    );
    await measure('query.day_analytics_all_orgs_p95_ms', "a day's analytics of all orgs by model and hour", 100, (k) =>
      storage.analytics(parseAnalyticsQuery({ from: day(k), to: new Date(Date.parse(day(k)) + 86_400_000).toISOString(), bucket: 'hour', groupBy: 'model' })),
    );
    // incident-N is in the questions of one org only: org-(floor(N / 10) % 5), n / 20000 of them.
    await measure('query.search_rare_p95_ms', "full-text search of a rare term in its org ('incident-NNNN', n/20000 rows)", 100, (k) => {
      const term = (k * 131) % 20_000;
      return storage.queryInteractions(parseQuery({ orgId: `org-${Math.floor(term / 10) % ORGS}`, search: `incident-${term}`, limit: 100 }));
    });
    await measure('query.search_absent_p95_ms', 'full-text search of a term that is nowhere (every row and partition checked)', 100, (k) =>
      storage.queryInteractions(parseQuery({ orgId: org(k), search: `absent-${k}`, limit: 100 })),
    );
    await measure('query.search_chinese_p95_ms', "full-text search of 集群 in an org (one interaction in ten), first page", 100, (k) =>
      storage.queryInteractions(parseQuery({ orgId: org(k), search: '集群', limit: 100 })),
    );
    await measure('query.search_two_terms_p95_ms', "full-text search 'payments-api restarting' in an org, first page", 100, (k) =>
      storage.queryInteractions(parseQuery({ orgId: org(k), search: 'payments-api restarting', limit: 100 })),
    );
    // The server reads through the tenant view: a transaction as the reader role with the org set
    // (row-level security) around the same query; its cost against the direct read of this run.
    const direct = results.find(([fig]) => fig === 'query.last_100_of_org_p95_ms')![2];
    const view = await p95((k) => storage.forOrg(org(k)).queryInteractions(parseQuery({ orgId: org(k), limit: 100 })));
    ctx.log(`the last 100 of an org through the tenant view (row-level security): p50 ${view.p50.toFixed(1)} ms, p95 ${view.p95.toFixed(1)} ms`);
    return [
      ...results.map(([fig, label, r, goal]) =>
        figure({ name: fig, value: r.p95, unit: 'ms (p95)', reference: `goal (${label}; ${n.toLocaleString('en-US')} interactions)`, referenceValue: goal, note: `p50 ${r.p50.toFixed(1)} ms; goal ratio <= 1` }),
      ),
      figure({
        name: 'query.last_100_of_org_tenant_view_p95_ms',
        value: view.p95,
        unit: 'ms (p95)',
        reference: 'the same query on the storage directly, same run',
        referenceValue: direct.p95,
        note: `p50 ${view.p50.toFixed(1)} ms; the server's reads: a transaction as auditrail_reader with the org set, the three child reads one after the other`,
      }),
    ];
  } finally {
    await storage.close();
    if (process.env.BENCH_PG_KEEP !== '1') await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

export const suite: BenchSuite = {
  name: 'postgres-query',
  description: 'read p95 on 1M interactions: one session, last 100 of an org, one interaction, day analytics, full-text search',
  run,
};

/**
 * `npm run bench -- postgres-write`: interactions/s written into the full schema (daily
 * partitions, every index), all in one run on the same machine:
 *
 * - storage: createPostgresStorage().append() in batches of BATCH, two batches in flight (as a
 *   server's writers run; one in flight is reported too), the search indexer off during the
 *   measurement (it runs after, and is measured on its own);
 * - ceiling: psql \copy of the same rows (every table the storage fills, record_ids and
 *   search_pending included) from files, in one transaction;
 * - seed 002's writer reproduced (SELECT EXISTS + per-row INSERTs, 10 interactions per
 *   transaction, one worker), on 3,000 interactions per round (its rate is steady; 100k would
 *   take minutes);
 * - the price the search design avoids: psql \copy again with a trigram GIN index on the
 *   interactions' question and answer, as a search index inside the write path would be;
 * - PGlite: the storage in a worker thread (its best method for a server: the event loop is not
 *   blocked) and in process, with the event-loop delay measured during the writes.
 *
 * Three rounds, each measuring all of them at the same moment on this shared machine (its load
 * swings absolute rates by 2x within a minute); the round with the median ratio is reported.
 * Each row: 1 interaction + 2 thoughts + 3 tool calls + 3 metrics. BENCH_QUICK=1: 10k interactions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Interaction } from '../../src/core/interaction.js';
import { createPgliteStorage } from '../../src/storage/pglite/create-pglite-storage.js';
import { createPostgresStorage, type PostgresStorage } from '../../src/storage/postgres/create-postgres-storage.js';
import { createTestDatabase, TEST_SERVER } from '../../src/storage/postgres/test-support/test-database.js';
import { figure, percentiles, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';
import { benchInteraction } from './postgres-support/bench-interactions.js';
import { writeCopyFiles } from './postgres-support/copy-files.js';
import { seedWrite } from './postgres-support/seed-writer.js';

const BATCH = 1_000;
const START_MS = Date.UTC(2026, 2, 1);
const TABLES = 'record_ids, sessions, interactions, thoughts, tool_calls, performance_metrics, events, search_pending, interaction_search';

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

/** Appends in batches of BATCH with `inFlight` appends at a time (a server's writers run several). */
async function appendAll(storage: { append(r: readonly Interaction[]): Promise<unknown> }, rows: readonly Interaction[], inFlight = 1): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const from = next;
      next += BATCH;
      await storage.append(rows.slice(from, from + BATCH));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

function psqlLoad(database: string, script: string): void {
  const r = spawnSync('psql', ['-X', '-q', '-h', TEST_SERVER.host, '-p', String(TEST_SERVER.port), '-U', TEST_SERVER.user, '-d', database, '-f', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
}

/**
 * Event-loop delay as a server would feel it: a 1 ms interval timer records how late each tick
 * comes. (perf_hooks' histogram records nothing when the loop never gets back to its timers, as
 * with PGlite on the main thread, whose awaits resolve as microtasks: the last gap is the stall.)
 */
function loopMonitor(): { stop(): { p99Ms: number; maxMs: number } } {
  const gaps: number[] = [];
  let last = performance.now();
  const t = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last - 1);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(t);
      gaps.push(performance.now() - last);
      const [p99] = percentiles(gaps, [99]);
      return { p99Ms: Math.max(0, p99!), maxMs: Math.max(...gaps) };
    },
  };
}

async function idleLoop(ms: number): Promise<{ p99Ms: number; maxMs: number }> {
  const m = loopMonitor();
  await new Promise((r) => setTimeout(r, ms));
  return m.stop();
}

async function pgliteRun(ctx: BenchContext, rows: readonly Interaction[], worker: boolean, durable = true): Promise<{ rate: number; p99Ms: number; maxMs: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'auditrail-bench-pglite-'));
  try {
    const storage = await createPgliteStorage({ dataDir, worker, durable, partitionsAheadDays: 0, searchIndexIntervalMs: 0 });
    await storage.append(rows.slice(0, 10)); // warm up: partitions, plans
    const m = loopMonitor();
    const s = await timed(() => appendAll(storage, rows.slice(10)));
    const delay = m.stop();
    await storage.close();
    const out = { rate: (rows.length - 10) / s, ...delay };
    ctx.log(`pglite ${worker ? 'worker' : 'in-process'}${durable ? '' : ' (fsync off)'}: ${Math.round(out.rate)}/s, event-loop delay p99 ${out.p99Ms.toFixed(1)} ms, max ${out.maxMs.toFixed(1)} ms`);
    return out;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const n = ctx.quick ? 10_000 : 100_000;
  const seedN = ctx.quick ? 500 : 3_000;
  // Two days of data: the rows land in two daily partitions.
  const rows = Array.from({ length: n }, (_, k) => benchInteraction(k, START_MS + Math.floor((k * 2 * 86_400_000) / n)));
  const db = await createTestDatabase('auditrail_bench');
  const dir = await mkdtemp(join(tmpdir(), 'auditrail-bench-copy-'));
  let storage: PostgresStorage | undefined;
  const admin = new pg.Client({ connectionString: db.connectionString });
  try {
    storage = await createPostgresStorage({ connectionString: db.connectionString, partitionsAheadDays: 0, searchIndexIntervalMs: 0 });
    await storage.append([benchInteraction(n + 1, START_MS), benchInteraction(n + 2, START_MS + 86_400_000)]); // partitions, warm plans
    await admin.connect();
    const script = await writeCopyFiles(dir, rows);
    const truncate = () => admin.query(`TRUNCATE ${TABLES}`).then(() => admin.query('CHECKPOINT'));
    // Rounds pair the storage with the ceiling (and the seed design) at the same moment: this
    // machine's load swings the absolute rates by 2x within a minute, the ratios much less.
    interface Round { storage: number; serial: number; copy: number; seed: number }
    const rounds: Round[] = [];
    let indexRate = 0;
    const seed = rows.slice(0, seedN);
    const seedClient = new pg.Client({ connectionString: db.connectionString });
    await seedClient.connect();
    for (let round = 0; round < 3; round++) {
      await truncate();
      const copy = n / (await timed(async () => psqlLoad(db.name, script)));
      await truncate();
      const two = n / (await timed(() => appendAll(storage!, rows, 2)));
      if (round === 0) {
        indexRate = n / (await timed(() => storage!.flushSearchIndex()));
        ctx.log(`search indexer (after the writes): ${Math.round(indexRate)} interactions/s`);
      }
      await truncate();
      const serial = n / (await timed(() => appendAll(storage!, rows, 1)));
      await truncate();
      const sd = seedN / (await timed(() => seedWrite(seedClient, seed)));
      rounds.push({ storage: two, serial, copy, seed: sd });
      ctx.log(`round ${round + 1}: psql \\copy ${Math.round(copy)}/s, storage two in flight ${Math.round(two)}/s (${(two / copy).toFixed(2)}), one in flight ${Math.round(serial)}/s, seed design ${Math.round(sd)}/s`);
    }
    await seedClient.end();
    // The round whose storage/ceiling ratio is the median.
    const median = rounds.slice().sort((a, b) => a.storage / a.copy - b.storage / b.copy)[1]!;
    const medianSeed = rounds.slice().sort((a, b) => a.storage / a.seed - b.storage / b.seed)[1]!;
    // What a search index inside the write path costs: the same \copy with a trigram GIN index.
    await truncate();
    const plain = n / (await timed(async () => psqlLoad(db.name, script)));
    await truncate();
    await admin.query("CREATE INDEX bench_interactions_gin ON interactions USING gin (lower(question || E'\\n' || coalesce(final_answer, '')) gin_trgm_ops)");
    const withGin = n / (await timed(async () => psqlLoad(db.name, script)));
    ctx.log(`psql \\copy ${Math.round(plain)}/s; with a trigram GIN index on the interactions: ${Math.round(withGin)}/s`);
    await admin.query('DROP INDEX bench_interactions_gin');
    await storage.close();
    storage = undefined;

    const pgliteN = ctx.quick ? 5_000 : 100_000;
    const worker = await pgliteRun(ctx, rows.slice(0, pgliteN), true);
    const inproc = await pgliteRun(ctx, rows.slice(0, ctx.quick ? 2_000 : 20_000), false);
    const durableN = ctx.quick ? 2_000 : 20_000;
    // Alternated twice, the best of each: the cost of the durable default.
    let durableOn = { rate: 0 };
    let durableOff = { rate: 0 };
    for (let k = 0; k < 2; k++) {
      const off = await pgliteRun(ctx, rows.slice(0, durableN), true, false);
      const on = await pgliteRun(ctx, rows.slice(0, durableN), true, true);
      if (off.rate > durableOff.rate) durableOff = off;
      if (on.rate > durableOn.rate) durableOn = on;
    }
    const idle = await idleLoop(5_000);
    ctx.log(`idle event loop (machine noise): p99 ${idle.p99Ms.toFixed(1)} ms, max ${idle.maxMs.toFixed(1)} ms`);

    const storageRate = median.storage;
    return [
      figure({ name: 'postgres.write_interactions_per_s', value: median.storage, unit: 'interactions/s', reference: 'psql \\copy of the same rows into the same schema (ceiling), same round', referenceValue: median.copy, note: 'two batches of 1000 in flight; median of 3 rounds; goal ratio >= 0.8' }),
      figure({ name: 'postgres.write_interactions_per_s_serial', value: median.serial, unit: 'interactions/s', reference: 'psql \\copy of the same rows into the same schema (ceiling), same round', referenceValue: median.copy, note: 'one batch of 1000 in flight' }),
      figure({ name: 'postgres.write_vs_seed_design', value: medianSeed.storage, unit: 'interactions/s', reference: `seed 002 design (EXISTS + per-row INSERT, 10/tx, one worker), ${seedN} interactions, same round`, referenceValue: medianSeed.seed, note: 'median of 3 rounds; goal ratio >= 20' }),
      figure({ name: 'postgres.copy_with_gin_search_index', value: withGin, unit: 'interactions/s', reference: 'psql \\copy without it (search index built off the write path)', referenceValue: plain, note: 'the price a GIN search index in the write path would cost' }),
      figure({ name: 'postgres.search_indexer_interactions_per_s', value: indexRate, unit: 'interactions/s', reference: 'storage write rate (the indexer keeps up when >= 1)', referenceValue: storageRate }),
      figure({ name: 'pglite.write_interactions_per_s', value: worker.rate, unit: 'interactions/s', reference: 'postgres storage.append, same rows', referenceValue: storageRate, note: `worker thread, ${pgliteN} interactions` }),
      figure({ name: 'pglite.event_loop_delay_p99_ms_worker', value: worker.p99Ms, unit: 'ms', reference: 'in process (PGlite on the main thread)', referenceValue: inproc.p99Ms, note: 'p99 of 1 ms timer lateness during the writes' }),
      figure({ name: 'pglite.event_loop_delay_p99_ms_idle', value: idle.p99Ms, unit: 'ms', reference: 'worker thread during the writes', referenceValue: worker.p99Ms, note: 'the noise floor: an idle event loop on this machine at the same time' }),
      figure({ name: 'pglite.event_loop_delay_max_ms_worker', value: worker.maxMs, unit: 'ms', reference: 'idle event loop, same machine (its max)', referenceValue: idle.maxMs, note: `in process: ${inproc.maxMs.toFixed(0)} ms` }),
      figure({ name: 'pglite.durable_write_interactions_per_s', value: durableOn.rate, unit: 'interactions/s', reference: "PGlite's default (fsync off), same rows, worker thread", referenceValue: durableOff.rate, note: `the cost of the durable default (WAL O_DSYNC), ${durableN} interactions` }),
      figure({ name: 'pglite.write_interactions_per_s_in_process', value: inproc.rate, unit: 'interactions/s', reference: 'worker thread', referenceValue: worker.rate }),
    ];
  } finally {
    await storage?.close();
    await admin.end().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  }
}

export const suite: BenchSuite = {
  name: 'postgres-write',
  description: 'interactions/s into the full schema: storage vs psql \\copy vs the seed design, GIN cost, search indexer, PGlite',
  run,
};

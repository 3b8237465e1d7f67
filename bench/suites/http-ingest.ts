/**
 * `npm run bench -- http-ingest`: events/s through the server's HTTP ingestion on PostgreSQL,
 * next to direct storage.append() of the same kind of events into the same database, in the same
 * run; the p99 acknowledgement latency at half the HTTP peak rate; the server's RSS.
 *
 * - The server runs in a child process (`auditrail serve` on DATABASE_URL, rate limits off,
 *   default queue settings), so that its CPU and memory are its own and its RSS can be read.
 * - The client posts JSON batches of BATCH seed-000 action events (~600 bytes each) with
 *   CONCURRENCY requests in flight, over keep-alive connections (fetch/undici). An acknowledgement
 *   is the 200 answer, sent after the batch is committed.
 * - Direct: CONCURRENCY concurrent storage.append() calls of BATCH events on a PostgreSQL storage
 *   opened in this process, against the same database.
 * - Rounds alternate (direct, http, direct, http) on this shared machine; the best of each counts.
 * - Latency: an open-loop client sends one batch every BATCH / (peak / 2) seconds, whatever the
 *   answers, for LATENCY_MS, and records each request's time to acknowledgement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { uuidv7 } from '../../src/core/ids.js';
import { parseRecordOrThrow, type AuditRecord } from '../../src/core/record.js';
import { loadConfig } from '../../src/server/config/load-config.js';
import { openKeyStore } from '../../src/server/open-backends.js';
import { createPostgresStorage } from '../../src/storage/postgres/create-postgres-storage.js';
import { createTestDatabase } from '../../src/storage/postgres/test-support/test-database.js';
import { figure, percentiles, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';

const BATCH = 500;
const SMALL_BATCH = 50;
const CONCURRENCY = 4;
/** Clients and direct writers spread over this many orgs: one org is written by one writer at a time (its hash chain needs it). */
const ORGS = 4;
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

let seq = 0;
function event(orgId: string | undefined): Record<string, unknown> {
  seq++;
  return {
    kind: 'event',
    eventId: uuidv7(),
    eventType: seq % 3 === 0 ? 'approval_granted' : 'action_completed',
    timestamp: new Date().toISOString(),
    ...(orgId ? { orgId } : {}),
    userId: `user-${seq % 50}`,
    agentId: 'ops-agent',
    sessionId: `session-${seq % 500}`,
    actionId: `action-${seq}`,
    actionName: 'kubectl_get_pods',
    actionParams: { namespace: 'payments', selector: 'app=api', limit: 50 },
    capabilityType: 'tool',
    capabilitySource: 'mcp',
    mcpServerId: 'k8s-mcp',
    success: true,
    durationMs: 42,
    severity: 'info',
    metadata: { cluster: 'prod-eu-1', ticket: 'OPS-4411' },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms). */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function direct(url: string, events: number): Promise<{ rate: number; batchP99Ms: number; cpuUsPerEvent: number }> {
  const storage = await createPostgresStorage({ connectionString: url, maxConnections: CONCURRENCY + 1, searchIndexIntervalMs: 0 });
  try {
    const batches: AuditRecord[][] = [];
    for (let n = 0, b = 0; n < events; n += BATCH, b++) batches.push(Array.from({ length: BATCH }, () => parseRecordOrThrow(event(`bench-direct-${b % ORGS}`))));
    const latencies: number[] = [];
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batches.length) {
          const b = batches[next++]!;
          const t = performance.now();
          await storage.append(b);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const total = batches.length * BATCH;
    return { rate: total / seconds, batchP99Ms: percentiles(latencies, [99])[0]!, cpuUsPerEvent: (used.user + used.system) / total };
  } finally {
    await storage.close();
  }
}

let refused = 0;

/** Posts one batch until acknowledged (a 503/429 is retried after Retry-After, as a client does); resolves with the time to acknowledgement. */
async function post(base: string, key: string, body: string): Promise<number> {
  const t = performance.now();
  for (;;) {
    const res = await fetch(`${base}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    const text = await res.text();
    if (res.status === 200) return performance.now() - t;
    if (res.status !== 503 && res.status !== 429) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
    refused++;
    await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
  }
}

async function httpPeak(base: string, keys: readonly string[], events: number): Promise<number> {
  const bodies: string[] = [];
  for (let n = 0; n < events; n += BATCH) bodies.push(JSON.stringify(Array.from({ length: BATCH }, () => event(undefined))));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, client) => {
      while (next < bodies.length) await post(base, keys[client % keys.length]!, bodies[next++]!);
    }),
  );
  return (bodies.length * BATCH) / ((performance.now() - started) / 1000);
}

async function httpLatency(base: string, keys: readonly string[], rate: number, durationMs: number, batch: number): Promise<number[]> {
  const intervalMs = (batch / rate) * 1000;
  const count = Math.max(20, Math.floor(durationMs / intervalMs));
  const bodies = Array.from({ length: count }, () => JSON.stringify(Array.from({ length: batch }, () => event(undefined))));
  const latencies: Promise<number>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    latencies.push(post(base, keys[i % keys.length]!, bodies[i]!));
  }
  return Promise.all(latencies);
}

async function serverRssBytes(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /^auditrail_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : [];
  const child = spawn(process.execPath, [...prof, '--import', TSX, MAIN, 'serve', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, base: m[1]! });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const events = ctx.quick ? 10_000 : 100_000;
  const latencyMs = ctx.quick ? 5_000 : 20_000;
  const db = await createTestDatabase('auditrail_bench_http');
  const dataDir = await mkdtemp(join(tmpdir(), 'auditrail-bench-http-'));
  const env = {
    DATABASE_URL: db.connectionString,
    AUDITRAIL_DATA_DIR: dataDir,
    AUDITRAIL_RATE_LIMIT_ENABLED: 'false',
    AUDITRAIL_LOG_LEVEL: 'warn',
    ...(process.env.BENCH_BATCH ? { AUDITRAIL_ASYNC_BATCH_SIZE: process.env.BENCH_BATCH } : {}),
    ...(process.env.BENCH_WORKERS ? { AUDITRAIL_ASYNC_WORKERS: process.env.BENCH_WORKERS } : {}),
    // default audit.async settings otherwise (workers 4, batch_size 500, queue_size 10000)
  };
  let server: ChildProcess | undefined;
  try {
    const { config } = await loadConfig({ env });
    const keys = await openKeyStore(config);
    const tokens: string[] = [];
    for (let o = 0; o < ORGS; o++) tokens.push((await keys.create({ orgId: `bench-http-${o}`, scopes: ['ingest', 'read'] })).token);
    await keys.close();
    const started = await startServer(env);
    server = started.child;
    const base = started.base;
    // warm-up: JIT, connections, partitions
    await httpPeak(base, tokens, ctx.quick ? 2_000 : 10_000);
    const idleRss = await serverRssBytes(base);
    ctx.log(`server on PostgreSQL (${db.name}) at ${base}; idle RSS ${(idleRss / 2 ** 20).toFixed(0)} MiB`);

    let bestDirect = { rate: 0, batchP99Ms: NaN, cpuUsPerEvent: Infinity };
    let bestHttp = 0;
    let serverCpuUsPerEvent = Infinity;
    let directCpuUsPerEvent = Infinity;
    let peakRss = idleRss;
    for (let round = 0; round < 3; round++) {
      const d = await direct(db.connectionString, events);
      if (d.rate > bestDirect.rate) bestDirect = d;
      directCpuUsPerEvent = Math.min(directCpuUsPerEvent, d.cpuUsPerEvent);
      ctx.log(`round ${round + 1}: direct storage.append ${Math.round(d.rate)} events/s`);
      const cpuBefore = await processCpuSeconds(server.pid!);
      const h = await httpPeak(base, tokens, events);
      serverCpuUsPerEvent = Math.min(serverCpuUsPerEvent, ((await processCpuSeconds(server.pid!)) - cpuBefore) * 1e6 / events);
      bestHttp = Math.max(bestHttp, h);
      peakRss = Math.max(peakRss, await serverRssBytes(base));
      ctx.log(`round ${round + 1}: HTTP ${Math.round(h)} events/s`);
    }
    const half = bestHttp / 2;
    ctx.log(`latency at ${Math.round(half)} events/s (half the HTTP peak) for ${latencyMs / 1000} s`);
    const lat = await httpLatency(base, tokens, half, latencyMs, BATCH);
    peakRss = Math.max(peakRss, await serverRssBytes(base));
    const [p50, p99] = percentiles(lat, [50, 99]);
    ctx.log(`latency at the same rate in ${SMALL_BATCH}-event batches`);
    const latSmall = await httpLatency(base, tokens, half, latencyMs, SMALL_BATCH);
    peakRss = Math.max(peakRss, await serverRssBytes(base));
    const [p50Small, p99Small] = percentiles(latSmall, [50, 99]);
    if (refused > 0) ctx.log(`${refused} requests were refused (503/429) and retried after Retry-After`);
    return [
      figure({
        name: 'http_ingest.events_per_s',
        value: bestHttp,
        unit: 'events/s',
        reference: `direct storage.append, PostgreSQL, ${CONCURRENCY} concurrent ${BATCH}-event batches over ${ORGS} orgs`,
        referenceValue: bestDirect.rate,
        note: `server on PostgreSQL in a child process, ${CONCURRENCY} clients (${ORGS} orgs) posting ${BATCH}-event JSON batches; goal ratio >= 0.7`,
      }),
      figure({
        name: 'http_ingest.p99_ack_ms_at_half_peak',
        value: p99!,
        unit: 'ms',
        reference: `direct storage.append p99 of one ${BATCH}-event batch`,
        referenceValue: bestDirect.batchP99Ms,
        note: `open loop at ${Math.round(half)} events/s (${BATCH}-event batches), p50 ${p50!.toFixed(1)} ms; goal p99 < 50 ms`,
      }),
      figure({
        name: 'http_ingest.p99_ack_ms_at_half_peak_small_batches',
        value: p99Small!,
        unit: 'ms',
        reference: `direct storage.append p99 of one ${BATCH}-event batch`,
        referenceValue: bestDirect.batchP99Ms,
        note: `same rate in ${SMALL_BATCH}-event batches (agents that flush often), p50 ${p50Small!.toFixed(1)} ms; ${refused} requests in the run were told to retry (503); goal p99 < 50 ms`,
      }),
      figure({
        name: 'http_ingest.server_cpu_us_per_event',
        value: serverCpuUsPerEvent,
        unit: 'us/event',
        reference: 'CPU per event of direct storage.append in the writing process',
        referenceValue: directCpuUsPerEvent,
        note: 'server process CPU (user+system, /proc) over the peak phase: HTTP, JSON, limits, validation, queue and the same storage write; stable on a shared machine where rates are not',
      }),
      figure({
        name: 'http_ingest.server_rss_mib',
        value: peakRss / 2 ** 20,
        unit: 'MiB',
        reference: 'server RSS when idle after start',
        referenceValue: idleRss / 2 ** 20,
        note: 'peak of the samples taken after each load phase (auditrail_process_resident_memory_bytes)',
      }),
    ];
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'http-ingest',
  description: 'events/s through POST /v1/events on PostgreSQL vs direct storage.append; p99 ack latency at half peak; server RSS',
  run,
};

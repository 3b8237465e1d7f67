/**
 * `npm run bench -- spool`: the SDK with a disk spool while its server is down, and when it is back.
 *
 * - Record cost while the server is down: `actionCompleted()` on a logger exporting over HTTP to a
 *   port nobody listens on, with a spool (fsync on), against the same call on a logger exporting
 *   to the in-memory exporter. Chunks of calls alternate between the two (this machine is shared);
 *   between chunks both pipelines get the event loop. The figure is the median cost per call.
 * - Spooling rate: records/s from the first record() to flush() resolved with everything on disk
 *   (validated, serialized, appended, fsynced), against the live rate of the same records
 *   exported to the server when it is up.
 * - Replay rate: once the server listens on that port, records/s the spool delivers (oldest
 *   first, one batch at a time, position persisted after each), against the same live rate.
 * The server is a local node:http server answering like auditrail (per-record results).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { createAuditLogger, createHttpExporter, createInMemoryExporter, type AuditLogger } from '../../src/sdk/index.js';
import { startScriptedHttpServer } from '../../src/sdk/test-support/scripted-http-server.js';
import { figure, percentiles, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';

const CHUNK = 1_000;
const context = { orgId: 'bench', userId: 'u', agentId: 'ops-agent', sessionId: 's' };
const input = (i: number) => ({
  actionId: `act-${i}`,
  actionName: 'kubectl_get_pods',
  actionParams: { namespace: 'payments', selector: 'app=api', limit: 50 },
  result: { pods: ['api-7f9c', 'api-81d2', 'api-9a0e'], restarts: 3 },
  durationMs: 42,
  capabilityType: 'tool',
  mcpServerId: 'k8s-mcp',
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

function httpLogger(url: string, spoolDir: string | undefined, maxQueueSize = 10_000): AuditLogger {
  return createAuditLogger({
    maxQueueSize,
    exporter: createHttpExporter({ url, timeoutMs: 1_000, retry: { maxRetries: 1, initialBackoffMs: 10, maxBackoffMs: 20 } }),
    context,
    exportTimeoutMs: 1_000,
    flushOnExit: false,
    onDiagnostic: () => {},
    // the write buffer holds a whole run: the loop below offers records far faster than any disk takes them
    ...(spoolDir ? { spool: { directory: spoolDir, maxBufferedRecords: 100_000, replay: { initialBackoffMs: 20, maxBackoffMs: 100 } } } : {}),
  });
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(5);
}

async function recordCost(ctx: BenchContext, down: AuditLogger, n: number): Promise<{ downNs: number; downP99Ns: number; memoryNs: number }> {
  const memory = createAuditLogger({ exporter: createInMemoryExporter(), context, flushOnExit: false, onDiagnostic: () => {} });
  const downSamples: number[] = [];
  const memorySamples: number[] = [];
  for (let done = 0; done < n; done += CHUNK) {
    for (const [logger, samples] of [[down, downSamples], [memory, memorySamples]] as const) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < CHUNK; i++) logger.actionCompleted(input(done + i));
      samples.push(Number(process.hrtime.bigint() - t0) / CHUNK);
      await tick();
    }
  }
  await memory.shutdown();
  const [downNs, downP99Ns] = percentiles(downSamples, [50, 99]);
  const [memoryNs] = percentiles(memorySamples, [50]);
  ctx.log(`record cost: ${downNs!.toFixed(0)} ns/call with the server down (p99 chunk ${downP99Ns!.toFixed(0)}), ${memoryNs!.toFixed(0)} ns in memory`);
  return { downNs: downNs!, downP99Ns: downP99Ns!, memoryNs: memoryNs! };
}

async function spoolRate(logger: AuditLogger, from: number, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i += CHUNK) {
    for (let k = 0; k < CHUNK; k++) logger.actionCompleted(input(from + i + k));
    await tick();
  }
  await logger.flush();
  return n / ((performance.now() - t0) / 1_000);
}

async function liveRate(ctx: BenchContext, url: string, n: number): Promise<number> {
  // the queue holds the whole run, like the spool's buffer above: nothing may be dropped
  const logger = httpLogger(url, undefined, n);
  const t0 = performance.now();
  for (let i = 0; i < n; i += CHUNK) {
    for (let k = 0; k < CHUNK; k++) logger.actionCompleted(input(i + k));
    await tick();
  }
  await logger.flush();
  const rate = n / ((performance.now() - t0) / 1_000);
  const s = logger.stats();
  ctx.log(`live export: ${s.exported} of ${s.recorded} exported, ${s.dropped} dropped, ${rate.toFixed(0)} records/s`);
  await logger.shutdown();
  return rate;
}

export const suite: BenchSuite = {
  name: 'spool',
  description: 'SDK with a disk spool: record cost while the server is down, spooling and replay rates vs live export',
  async run(ctx: BenchContext): Promise<BenchFigure[]> {
    const n = ctx.quick ? 5_000 : 50_000;
    const dir = await mkdtemp(join(tmpdir(), 'auditrail-bench-spool-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const down = httpLogger(url, dir);
    try {
      await until(() => down.stats().spool?.state === 'ready');
      const cost = await recordCost(ctx, down, n);
      const spooling = await spoolRate(down, n, n);
      const s = down.stats();
      ctx.log(`spooled ${s.spooled} of ${s.recorded} (dropped ${s.dropped}), ${(s.spool!.bytes / 1_048_576).toFixed(1)} MiB on disk; spooling ${spooling.toFixed(0)} records/s`);

      const server = await startScriptedHttpServer(port);
      try {
        const backlog = down.stats().spool!.pendingRecords;
        const t0 = performance.now();
        await until(() => down.stats().spool!.pendingRecords === 0);
        const replay = backlog / ((performance.now() - t0) / 1_000);
        const live = await liveRate(ctx, url, n);
        const lost = down.stats().dropped;
        ctx.log(`replayed ${backlog} records at ${replay.toFixed(0)}/s; live export ${live.toFixed(0)}/s; stored ${server.stored.length}; lost ${lost}`);
        return [
          figure({ name: 'spool.record_ns_server_down', value: cost.downNs, unit: 'ns/call', reference: 'same call, in-memory exporter (same run)', referenceValue: cost.memoryNs, note: `median of ${CHUNK}-call chunks; p99 chunk ${cost.downP99Ns.toFixed(0)} ns; lost ${lost}` }),
          figure({ name: 'spool.spooling_records_per_s', value: spooling, unit: 'records/s', reference: 'live HTTP export of the same records', referenceValue: live, note: 'record() to fsynced on disk' }),
          figure({ name: 'spool.replay_records_per_s', value: replay, unit: 'records/s', reference: 'live HTTP export of the same records', referenceValue: live, note: `${backlog} records, position persisted per batch` }),
        ];
      } finally {
        await down.shutdown();
        await server.close();
      }
    } finally {
      await down.shutdown();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

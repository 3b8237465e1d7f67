import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { createHttpExporter } from '../http/http-exporter.js';
import { createAuditLogger, type AuditLogger, type AuditLoggerOptions } from '../index.js';
import type { LoggerStats } from '../stats.js';
import { startScriptedHttpServer, type ScriptedHttpServer } from '../test-support/scripted-http-server.js';
import { SEGMENT_HEADER_BYTES } from './frame-codec.js';

const CHILD = fileURLToPath(new URL('../test-support/spool-child.ts', import.meta.url));
const context = { orgId: 'org_1', userId: 'u', agentId: 'a', sessionId: 's' };
const down = { status: 503, headers: { 'retry-after': '0' }, body: { code: 'AUDITRAIL_ERR_QUEUE_FULL', detail: 'down' } };

let dir: string;
let server: ScriptedHttpServer;
let logger: AuditLogger | undefined;
let diagnostics: Diagnostic[];
let children: ChildProcess[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-spool-'));
  server = await startScriptedHttpServer();
  diagnostics = [];
  children = [];
});
afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await logger?.shutdown();
  logger = undefined;
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function make(url: string, extra: Partial<AuditLoggerOptions> = {}): AuditLogger {
  logger = createAuditLogger({
    exporter: createHttpExporter({ url, timeoutMs: 500, retry: { maxRetries: 1, initialBackoffMs: 5, maxBackoffMs: 10 } }),
    context,
    maxBatchSize: 10,
    flushIntervalMs: 10,
    exportTimeoutMs: 300,
    retry: { initialBackoffMs: 5, maxBackoffMs: 20 },
    spool: { directory: dir, replay: { initialBackoffMs: 10, maxBackoffMs: 50 } },
    onDiagnostic: (d) => diagnostics.push(d),
    flushOnExit: false,
    ...extra,
  });
  return logger;
}

function balanced(s: LoggerStats): boolean {
  return s.recorded === s.queued + s.inFlight + s.exported + s.rejected + s.dropped + s.spooled;
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

const actionIds = (records: Record<string, unknown>[]) => records.map((r) => r.actionId);
const range = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`);

describe('disk spool', () => {
  it('spools batches while the server is down and replays them in order, each stored once, when it is back', async () => {
    server.otherwise(down);
    const l = make(server.url);
    await until('the spool to open', () => l.stats().spool!.state === 'ready'); // while opening, batches go behind it at once
    for (let i = 0; i < 100; i++) {
      l.actionStarted({ actionId: `a${i}`, actionName: 'step' });
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }
    await l.flush();
    const s = l.stats();
    expect(s).toMatchObject({ recorded: 100, spooled: 100, dropped: 0, exported: 0 });
    expect(s.spool).toMatchObject({ state: 'ready', pendingRecords: 100 });
    expect(server.stored).toEqual([]);

    server.otherwise(undefined);
    await until('the spool to drain', () => l.stats().spool!.pendingRecords === 0);
    expect(actionIds(server.storedRecords)).toEqual(range(100));
    expect(l.stats()).toMatchObject({ replayed: 100, spool: { replayRejected: 0, replayDropped: 0 } });
    expect(balanced(l.stats())).toBe(true);
    // compaction: everything delivered, the files are back to one empty segment
    await until('compaction', () => l.stats().spool!.bytes === SEGMENT_HEADER_BYTES);
    expect((await readdir(dir)).filter((n) => n.endsWith('.spool'))).toHaveLength(1);
    // the first batch failed past its deadline, the others went straight behind it
    const spooledReports = diagnostics.filter((d) => d.code === 'AUDITRAIL_ERR_EXPORT_FAILED' && d.outcome === 'spooled');
    expect(spooledReports[0]!.message).toContain('gave up after');
    expect(spooledReports.reduce((n, d) => n + d.count, 0)).toBe(100);

    // and the live path is used again
    l.actionStarted({ actionId: 'live', actionName: 'step' });
    await l.flush();
    expect(l.stats()).toMatchObject({ exported: 1, spooled: 100 });
  });

  it('takes records the full queue cannot hold into memory without touching the disk on the caller path, then writes and delivers them', async () => {
    const l = make(server.url, { maxQueueSize: 5, maxBatchSize: 5 });
    await until('the spool to open', () => l.stats().spool!.state === 'ready');
    const bytesBefore = l.stats().spool!.bytes;
    const ids: (string | undefined)[] = [];
    for (let i = 0; i < 200; i++) ids.push(l.actionStarted({ actionId: `a${i}`, actionName: 'step' }));
    // synchronously after the calls: counted as spooled, held in memory, nothing written yet
    const s = l.stats();
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(s).toMatchObject({ recorded: 200, queued: 5, spooled: 195, dropped: 0 });
    expect(s.spool).toMatchObject({ bufferedRecords: 195, bytes: bytesBefore });

    await l.flush();
    await until('every record to be stored', () => server.stored.length === 200);
    expect(new Set(server.stored).size).toBe(200);
    expect([...actionIds(server.storedRecords)].sort()).toEqual(range(200).sort());
    expect(balanced(l.stats())).toBe(true);
  });

  it('drops records only when the spool itself is full, counted as spoolFull and reported', async () => {
    const l = make(await closedPortUrl(), { spool: { directory: dir, maxBytes: 64 * 1024 } });
    const note = 'x'.repeat(2_000);
    for (let i = 0; i < 100; i++) {
      l.actionStarted({ actionId: `a${i}`, actionName: 'step', metadata: { note } });
      if (i % 10 === 9) await l.flush();
    }
    await l.flush();
    const s = l.stats();
    expect(s.dropReasons.spoolFull).toBeGreaterThan(0);
    expect(s.dropped).toBe(s.dropReasons.spoolFull);
    expect(s.spooled + s.dropped).toBe(100);
    // what fits is kept, record by record: about 64 KiB / 2.1 KB
    expect(s.spooled).toBeGreaterThanOrEqual(26);
    expect(s.spool!.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(s.spool!.pendingRecords).toBe(s.spooled);
    expect(balanced(s)).toBe(true);
    expect(diagnostics.filter((d) => d.code === 'AUDITRAIL_ERR_SPOOL_FULL' && d.outcome === 'dropped').reduce((n, d) => n + d.count, 0)).toBe(s.dropped);
  });

  it('keeps a batch refused for a key problem (401) until the key works, and drops one refused for good (400) without spooling it', async () => {
    const unauthenticated = { status: 401, body: { code: 'AUDITRAIL_ERR_UNAUTHENTICATED', detail: 'revoked key' } };
    server.otherwise(unauthenticated);
    const l = make(server.url);
    for (let i = 0; i < 5; i++) l.actionStarted({ actionId: `a${i}`, actionName: 'step' });
    await l.flush();
    expect(l.stats()).toMatchObject({ spooled: 5, dropped: 0 });
    await new Promise((r) => setTimeout(r, 100));
    expect(l.stats().spool!.pendingRecords).toBe(5); // the replayer is refused too, and keeps them
    server.otherwise(undefined);
    await until('the spool to drain', () => l.stats().spool!.pendingRecords === 0);
    expect(actionIds(server.storedRecords)).toEqual(range(5));
    await l.shutdown();

    server.otherwise({ status: 400, body: { code: 'AUDITRAIL_ERR_BODY_MALFORMED', detail: 'no' } });
    await rm(dir, { recursive: true, force: true });
    const l2 = make(server.url);
    await until('the spool to open', () => l2.stats().spool!.state === 'ready'); // while opening, batches wait behind it
    l2.actionStarted({ actionId: 'b0', actionName: 'step' });
    await l2.flush();
    expect(l2.stats()).toMatchObject({ spooled: 0, dropped: 1, dropReasons: expect.objectContaining({ exportFailed: 1 }) });
  });

  it('writes what is buffered and closes its files at shutdown; the spool is left for the next process', async () => {
    const l = make(await closedPortUrl());
    for (let i = 0; i < 30; i++) l.actionStarted({ actionId: `a${i}`, actionName: 'step' });
    await l.shutdown();
    expect(l.stats()).toMatchObject({ spooled: 30, dropped: 0, spool: { state: 'closed', pendingRecords: 30 } });
    expect((await readdir(dir)).includes('LOCK')).toBe(false);
    const sizes = await Promise.all((await readdir(dir)).filter((n) => n.endsWith('.spool')).map(async (n) => (await stat(join(dir, n))).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(30 * 100);
  });
});

describe('disk spool across processes', () => {
  interface ChildRun {
    readonly child: ChildProcess;
    readonly lines: string[];
    readonly exited: Promise<number | null>;
  }

  function runChild(config: Record<string, unknown>): ChildRun {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ directory: dir, ...config })], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const lines: string[] = [];
    let partial = '';
    child.stdout.on('data', (b: Buffer) => {
      const parts = (partial + b.toString()).split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, lines, exited };
  }

  const statsAfter = (run: ChildRun, word: string): LoggerStats => JSON.parse(run.lines.find((l) => l.startsWith(`${word} `))!.slice(word.length + 1)) as LoggerStats;

  it('a process that restarts replays the spool its predecessor left, in order', { timeout: 60_000 }, async () => {
    const first = runChild({ url: await closedPortUrl(), count: 60, mode: 'exit' });
    expect(await first.exited).toBe(0);
    expect(statsAfter(first, 'flushed')).toMatchObject({ recorded: 60, spooled: 60, dropped: 0, spool: { pendingRecords: 60 } });

    const second = runChild({ url: server.url, count: 0, mode: 'drain' });
    expect(await second.exited).toBe(0);
    expect(statsAfter(second, 'drained')).toMatchObject({ recorded: 0, replayed: 60, spool: { pendingRecords: 0 } });
    expect(actionIds(server.storedRecords)).toEqual(range(60));
    expect(server.duplicates).toBe(0);
  });

  it('process.exit() without a flush: the exit hook writes the queue to the spool synchronously, and the next process delivers it', { timeout: 60_000 }, async () => {
    server.otherwise({ delayMs: 5_000 }); // nothing is acknowledged before the exit
    const first = runChild({ url: server.url, count: 300, mode: 'exit-now', maxBatchSize: 1_000 });
    expect(await first.exited).toBe(0);
    expect(statsAfter(first, 'exiting')).toMatchObject({ recorded: 300, queued: 300, exported: 0 });
    expect(first.lines).toContain('diagnostic AUDITRAIL_ERR_EXPORT_FAILED spooled 300');
    expect(first.lines.filter((l) => l.startsWith('diagnostic') && l.includes('dropped'))).toEqual([]);

    server.otherwise(undefined);
    const second = runChild({ url: server.url, count: 0, mode: 'drain' });
    expect(await second.exited).toBe(0);
    expect([...new Set(actionIds(server.storedRecords))].sort()).toEqual(range(300).sort());
    expect(statsAfter(second, 'drained')).toMatchObject({ replayed: 300 });
  });

  it('SIGTERM while the server hangs: after the 5 s flush, what is pending goes to the spool before the process dies of the signal', { timeout: 60_000 }, async () => {
    server.otherwise({ delayMs: 60_000 }); // stores nothing, answers nothing in time
    const first = runChild({ url: server.url, count: 200, mode: 'sigterm', maxBatchSize: 1_000, exportTimeoutMs: 30_000 });
    await until('the child to be ready', () => first.lines.includes('ready'), 30_000);
    first.child.kill('SIGTERM');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGTERM');
    expect(first.lines).toContain('diagnostic AUDITRAIL_ERR_EXPORT_FAILED spooled 200');
    expect(first.lines.filter((l) => l.startsWith('diagnostic') && l.includes('dropped'))).toEqual([]);

    await server.close();
    server = await startScriptedHttpServer();
    const second = runChild({ url: server.url, count: 0, mode: 'drain' });
    expect(await second.exited).toBe(0);
    expect([...actionIds(server.storedRecords)].sort()).toEqual(range(200).sort());
  });

  it('a replay cut short by SIGKILL resumes from its persisted position; the server stores each record once', { timeout: 60_000 }, async () => {
    const first = runChild({ url: await closedPortUrl(), count: 200, mode: 'exit', maxBatchSize: 20 });
    expect(await first.exited).toBe(0);

    // each batch is stored at once but answered late: the kill lands between storing and the answer
    server.otherwise({ delayMs: 100 });
    const second = runChild({ url: server.url, count: 0, mode: 'stay', maxBatchSize: 20 });
    await until('three replayed batches', () => server.requests.length >= 3, 30_000);
    second.child.kill('SIGKILL');
    await second.exited;
    const storedBeforeKill = server.stored.length;
    expect(storedBeforeKill).toBeGreaterThan(0);
    expect(storedBeforeKill).toBeLessThan(200);

    server.otherwise(undefined); // the rest answered at once
    const third = runChild({ url: server.url, count: 0, mode: 'drain', maxBatchSize: 20 });
    expect(await third.exited).toBe(0);
    expect(actionIds(server.storedRecords)).toEqual(range(200));
    // at most the batch whose answer the kill cut off was sent again, not the whole spool
    const sent = server.requests.reduce((n, r) => n + r.records.length, 0);
    expect(sent - 200).toBeLessThanOrEqual(20);
    expect(server.duplicates).toBe(sent - 200);
  });

});

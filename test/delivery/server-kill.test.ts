import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, waitForOutput } from '../../src/cli/test-support/run-cli.js';
import type { LoggerStats } from '../../src/sdk/index.js';

/**
 * Issue 4 (a): SIGKILL the real server (`auditrail serve`, embedded PGlite storage) in the middle
 * of ingestion from a real SDK client process with a disk spool. Nothing the server acknowledged
 * may be lost, and once the server is back and the client's spool has replayed, every recorded
 * event is stored exactly once.
 */

const CLIENT = fileURLToPath(new URL('./support/recording-client.ts', import.meta.url));
const N = 6_000;

let dir: string;
let port: number;
let adminKey: string;
const processes: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port: p } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return p;
}

function startServer(): ChildProcess {
  const server = startCli(['serve', '--port', String(port)], { AUDITRAIL_DATA_DIR: join(dir, 'data'), AUDITRAIL_LOG_LEVEL: 'warn' }, dir);
  processes.push(server);
  return server;
}

const url = () => `http://127.0.0.1:${port}`;
const lines = async (file: string) => (await readFile(join(dir, file), 'utf8').catch(() => '')).split('\n').filter(Boolean);

/** Every event of the client's agent, by paging through GET /v1/events. */
async function storedIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ agentId: 'delivery-client', limit: '1000', order: 'asc', ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${url()}/v1/events?${q.toString()}`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { eventId: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((e) => e.eventId));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-delivery-'));
  port = await freePort();
  const server = startServer();
  const [, key] = await waitForOutput(server, /AUDITRAIL_API_KEY=(atr_\S+)/, 90_000);
  adminKey = key!;
}, 120_000);

afterAll(async () => {
  for (const p of processes) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('delivery through a server crash', () => {
  it('loses no acknowledged event when the server is SIGKILLed mid-ingestion, and the spool delivers the rest exactly once', { timeout: 240_000 }, async () => {
    const client = spawn(
      process.execPath,
      ['--import', 'tsx', CLIENT, JSON.stringify({ url: url(), apiKey: adminKey, spoolDirectory: join(dir, 'spool'), out: dir, count: N, perTick: 20, tickMs: 10 })],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    processes.push(client);
    let last: { recorded: number; stats: LoggerStats } = { recorded: 0, stats: {} as LoggerStats };
    let done: LoggerStats | undefined;
    let partial = '';
    client.stdout.on('data', (b: Buffer) => {
      const parts = (partial + b.toString()).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        const m = /^progress (\d+) (.*)$/.exec(line);
        if (m) last = { recorded: Number(m[1]), stats: JSON.parse(m[2]!) as LoggerStats };
        if (line.startsWith('done ')) done = JSON.parse(line.slice(5)) as LoggerStats;
      }
    });
    const clientExit = new Promise<number | null>((resolve) => client.on('exit', resolve));

    // mid-ingestion: some events acknowledged, most not yet recorded
    await until('the first acknowledgements', async () => (await lines('acked')).length >= 600, 60_000);
    const server = processes[0]!;
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    const ackedBeforeKill = await lines('acked');
    const recordedAtKill = last.recorded;
    expect(recordedAtKill).toBeLessThan(N);

    // the server is down: the client keeps recording (the record path never waits on the sink), nothing is dropped
    await until('the client to record on while the server is down', () => last.recorded >= Math.min(N, recordedAtKill + 1_000), 30_000);
    expect(last.stats.dropped).toBe(0);
    await until('records to reach the spool', () => last.stats.spooled > 0, 30_000);

    const restarted = startServer();
    await waitForOutput(restarted, /listening on http/, 90_000);

    // every event acknowledged before the kill survived it
    const afterRestart = new Set(await storedIds());
    expect(ackedBeforeKill.filter((id) => !afterRestart.has(id))).toEqual([]);

    // the client's spool replays; it finishes once it is empty
    expect(await clientExit).toBe(0);
    expect(done).toBeDefined();
    expect(done).toMatchObject({ recorded: N, rejected: 0, dropped: 0, queued: 0, inFlight: 0, spool: { pendingRecords: 0, replayDropped: 0, replayRejected: 0 } });
    expect(done!.exported + done!.spooled).toBe(N);
    expect(done!.spooled).toBeGreaterThan(0);
    expect(done!.replayed).toBe(done!.spooled);

    const recorded = await lines('recorded');
    expect(recorded).toHaveLength(N);
    const stored = await storedIds();
    expect(stored).toHaveLength(N); // exactly once: no duplicates...
    expect(new Set(stored)).toEqual(new Set(recorded)); // ...and none missing
    const acked = new Set(await lines('acked'));
    expect(recorded.filter((id) => !acked.has(id))).toEqual([]);
  });
});

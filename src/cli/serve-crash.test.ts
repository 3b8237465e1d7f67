import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../core/ids.js';
import { loadConfig, openKeyStore } from '../server/index.js';
import { createTestDatabase, type TestDatabase } from '../storage/postgres/test-support/test-database.js';
import { startCli, waitForOutput } from './test-support/run-cli.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = startCli(['serve', '--port', '0'], env);
  const url = (await waitForOutput(child, /listening on (http:\/\/\S+)/, 60_000))[1]!;
  return { child, url };
}

function batch(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'event',
    eventId: uuidv7(),
    eventType: 'action_completed',
    timestamp: new Date().toISOString(),
    userId: 'u',
    agentId: 'crash-test',
    sessionId: 's',
    actionId: `a${i}`,
    actionName: 'kubectl_get_pods',
  }));
}

/** Posts batches from 4 clients until stopped; returns the ids of every batch answered 200. */
function load(url: string, key: string) {
  const acked: string[] = [];
  let stop = false;
  let attempts = 0;
  const clients = Array.from({ length: 4 }, async () => {
    while (!stop) {
      const records = batch(100);
      attempts++;
      try {
        const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
        const body = (await res.json()) as { accepted?: number };
        if (res.status === 200 && body.accepted === records.length) acked.push(...records.map((r) => r.eventId));
      } catch {
        // the server died with this request in flight: not acknowledged, so not counted
      }
    }
  });
  return {
    acked,
    attempts: () => attempts,
    stop: async () => {
      stop = true;
      await Promise.all(clients);
    },
  };
}

async function storedIds(url: string, key: string): Promise<Set<string>> {
  const res = await fetch(`${url}/v1/export?kind=events&agentId=crash-test&format=jsonl`, { headers: { authorization: `Bearer ${key}` } });
  const ids = new Set<string>();
  let rows = 0;
  for (const line of (await res.text()).trim().split('\n')) {
    const r = JSON.parse(line) as { kind: string; eventId?: string };
    if (r.kind !== 'event') continue;
    rows++;
    ids.add(r.eventId!);
  }
  expect(rows, 'an event was stored twice').toBe(ids.size);
  return ids;
}

async function crashAndCheck(env: Record<string, string>, key: string): Promise<void> {
  let { child, url } = await serve(env);
  const traffic = load(url, key);
  while (traffic.acked.length < 2_000) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  await traffic.stop();
  const acked = [...traffic.acked];
  expect(traffic.attempts() * 100).toBeGreaterThan(acked.length);
  ({ child, url } = await serve(env));
  try {
    const stored = await storedIds(url, key);
    const lost = acked.filter((id) => !stored.has(id));
    expect(lost, `${lost.length} acknowledged events lost`).toEqual([]);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

describe('auditrail serve killed with SIGKILL in the middle of ingestion', () => {
  it('loses no acknowledged event on PostgreSQL', async () => {
    const db: TestDatabase = await createTestDatabase('auditrail_crash');
    const dataDir = await mkdtemp(join(tmpdir(), 'auditrail-crash-pg-'));
    cleanups.push(() => db.drop(), () => rm(dataDir, { recursive: true, force: true }));
    const env = { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_LOG_LEVEL: 'warn' };
    const keys = await openKeyStore((await loadConfig({ env })).config);
    const key = (await keys.create({ orgId: 'crash', scopes: ['ingest', 'read'] })).token;
    await keys.close();
    await crashAndCheck(env, key);
  }, 180_000);

  it('loses no acknowledged event on embedded PGlite', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'auditrail-crash-pglite-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = { AUDITRAIL_DATA_DIR: dataDir, AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_LOG_LEVEL: 'warn' };
    const keys = await openKeyStore((await loadConfig({ env, embeddedStorage: 'pglite' })).config);
    const key = (await keys.create({ orgId: 'crash', scopes: ['ingest', 'read'] })).token;
    await keys.close();
    await crashAndCheck(env, key);
  }, 180_000);
});

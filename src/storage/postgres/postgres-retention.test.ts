import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAuditrailError, parseQuery, type AuditRecord } from '../../core/index.js';
import { comparableRecord, expectedStored, makeEvent, makeInteraction } from '../contract/fixtures.js';
import { RetentionOptionsSchema } from '../sql/retention-options.js';
import { runRetention } from '../sql/retention-run.js';
import { createPostgresStorage, type PostgresStorage } from './create-postgres-storage.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (iso: string, k = 0) => new Date(Date.parse(iso) + k * 1000).toISOString();
const q = parseQuery;

let db: TestDatabase;
let archiveDir: string;
let storage: PostgresStorage;
let records: AuditRecord[];

const expiredDays = ['2026-01-10', '2026-01-11'];

beforeEach(async () => {
  db = await createTestDatabase();
  archiveDir = await mkdtemp(join(tmpdir(), 'auditrail-archive-'));
  storage = await createPostgresStorage({
    connectionString: db.connectionString,
    partitionsAheadDays: 0,
    searchIndexIntervalMs: 0,
    now: () => NOW,
    retention: { days: 30, autoCleanup: false, archiveDir },
  });
  records = [
    ...Array.from({ length: 5 }, (_, k) => makeInteraction({ sessionId: 'spans', timestamp: at('2026-01-10T08:00:00Z', k) })),
    ...Array.from({ length: 3 }, (_, k) => makeInteraction({ sessionId: 'old-only', timestamp: at('2026-01-11T23:59:00Z', k) })),
    ...Array.from({ length: 4 }, (_, k) => makeEvent({ timestamp: at('2026-01-11T10:00:00Z', k) })),
    ...Array.from({ length: 2 }, (_, k) => makeInteraction({ sessionId: 'spans', timestamp: at('2026-02-20T08:00:00Z', k) })),
    makeEvent({ timestamp: at('2026-02-20T09:00:00Z') }),
  ];
  await storage.append(records);
});

afterEach(async () => {
  await storage.close();
  await db.drop();
  await rm(archiveDir, { recursive: true, force: true });
});

const options = () => RetentionOptionsSchema.parse({ days: 30, autoCleanup: false, archiveDir });
const partitionExists = async (name: string) => (await storage.driver.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]))[0]!.t !== null;

async function readArchive(path: string): Promise<Record<string, unknown>[]> {
  const buf = await readFile(path);
  const sum = (await readFile(`${path}.sha256`, 'utf8')).split(/\s+/)[0];
  expect(createHash('sha256').update(buf).digest('hex')).toBe(sum);
  return gunzipSync(buf)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('retention', () => {
  it('archives the expired days to checksummed gzip JSONL, then drops their partitions, keeps the rest, and records the run', async () => {
    const report = await storage.runRetention();
    expect(report.days.map((d) => d.day)).toEqual(expiredDays);
    expect(report.days.map((d) => [d.interactions, d.events])).toEqual([
      [5, 0],
      [3, 4],
    ]);
    for (const day of expiredDays) expect(await partitionExists(`interactions_p${day.replace(/-/g, '')}`)).toBe(false);
    expect(await partitionExists('interactions_p20260220')).toBe(true);
    // The archives hold exactly the dropped records, in the API's record form.
    const archived = (await Promise.all(report.days.map((d) => readArchive(d.archivePath)))).flat();
    const dropped = records.filter((r) => r.timestamp < '2026-02-01');
    const byId = (r: Record<string, unknown>) => String(r.kind === 'event' ? r.eventId : r.interactionId);
    expect(archived.map((r) => comparableRecord(r as unknown as AuditRecord)).sort((a, b) => byId(a).localeCompare(byId(b)))).toEqual(
      dropped.map((r) => comparableRecord(expectedStored(r))).sort((a, b) => byId(a).localeCompare(byId(b))),
    );
    expect(await storage.countInteractions(q({ orgId: 'org_a' }))).toBe(2);
    const sessions = (await storage.querySessions(q({ orgId: 'org_a' }))).items;
    expect(sessions.map((s) => [s.sessionId, s.interactionCount, s.firstSeen])).toEqual([['spans', 2, '2026-02-20T08:00:00.000Z']]);
    // The run is in the audit trail: one action_completed per day, in the system org.
    const events = await storage.queryEvents(q({ orgId: 'auditrail-system', actionName: 'auditrail.retention', order: 'asc' }));
    expect(events.items.map((e) => [e.eventType, e.success, e.actionParams.day])).toEqual([
      ['action_completed', true, '2026-01-10'],
      ['action_completed', true, '2026-01-11'],
    ]);
    // A second run finds nothing more to do.
    expect((await storage.runRetention()).days).toEqual([]);
  });

  it('leaves nothing half-deleted when a run crashes between archive and drop, and the next run finishes the job', async () => {
    const ctx = {
      driver: storage.driver,
      options: options(),
      append: (r: readonly AuditRecord[]) => storage.append(r),
      forgetPartitions: (d: readonly string[]) => storage.forgetPartitions(d),
    };
    const crash = await runRetention({ ...ctx, afterArchived: () => Promise.reject(new Error('power cut')) }, NOW).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAuditrailError(crash, 'RETENTION_FAILED')).toBe(true);
    const state = await storage.driver.query<{ day: string; state: string; archive_path: string }>("SELECT to_char(day, 'YYYY-MM-DD') AS day, state, archive_path FROM retention_runs");
    expect(state.map((s) => [s.day, s.state])).toEqual([['2026-01-10', 'archived']]);
    expect(await partitionExists('interactions_p20260110')).toBe(true);
    expect(await storage.countInteractions(q({}))).toBe(10);
    const firstArchive = state[0]!.archive_path;
    expect((await readArchive(firstArchive)).length).toBe(5);

    const report = await runRetention(ctx, NOW);
    expect(report.days.map((d) => d.day)).toEqual(expiredDays);
    expect(report.days[0]!.archivePath, 'the verified archive is reused, not rewritten').toBe(firstArchive);
    expect(await partitionExists('interactions_p20260110')).toBe(false);
    expect(await storage.countInteractions(q({}))).toBe(2);
    expect((await readdir(archiveDir)).filter((f) => f.endsWith('.jsonl.gz'))).toHaveLength(2);
    const events = await storage.queryEvents(q({ orgId: 'auditrail-system', order: 'asc' }));
    expect(events.items.map((e) => e.eventType)).toEqual(['action_failed', 'action_completed', 'action_completed']);
  });

  it('redoes an archive a crash left half-written', async () => {
    await storage.driver.query("INSERT INTO retention_runs (day, state, archive_path) VALUES ('2026-01-10', 'archiving', $1)", [join(archiveDir, 'auditrail-2026-01-10-crashed.jsonl.gz')]);
    const report = await storage.runRetention();
    expect(report.days.map((d) => d.day)).toEqual(expiredDays);
    expect(report.days[0]!.archivePath).toBe(join(archiveDir, 'auditrail-2026-01-10-crashed.jsonl.gz'));
    expect((await readArchive(report.days[0]!.archivePath)).length).toBe(5);
  });

  it('runs on its own at cleanup_time (the clock mocked to just before it)', async () => {
    const local = new Date(NOW);
    // 300 ms before the next whole minute of the (mocked) local clock.
    const fakeNow = new Date(local.getFullYear(), local.getMonth(), local.getDate(), 2, 59, 59, 700).getTime();
    const scheduled = await createPostgresStorage({
      connectionString: db.connectionString,
      migrate: false,
      partitionsAheadDays: 0,
      searchIndexIntervalMs: 0,
      now: () => fakeNow,
      retention: { days: 30, autoCleanup: true, cleanupTime: '03:00', archiveDir },
    });
    try {
      for (let waited = 0; waited < 15_000 && (await partitionExists('interactions_p20260110')); waited += 100) await new Promise((r) => setTimeout(r, 100));
      expect(await partitionExists('interactions_p20260110')).toBe(false);
    } finally {
      await scheduled.close();
    }
  });
});

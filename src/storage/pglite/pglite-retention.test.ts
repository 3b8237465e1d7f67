import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../core/index.js';
import { makeEvent, makeInteraction } from '../contract/fixtures.js';
import { createPgliteStorage } from './create-pglite-storage.js';
import { createPgliteTestDir } from './test-support/pglite-test-dir.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('pglite retention', () => {
  it('archives then drops the expired days, as on PostgreSQL', async () => {
    const { dataDir, cleanup } = await createPgliteTestDir();
    const archiveDir = await mkdtemp(join(tmpdir(), 'auditrail-pglite-archive-'));
    const storage = await createPgliteStorage({ dataDir, partitionsAheadDays: 0, searchIndexIntervalMs: 0, now: () => NOW, retention: { days: 30, autoCleanup: false, archiveDir } });
    try {
      await storage.append([
        makeInteraction({ sessionId: 's', timestamp: '2026-01-10T08:00:00.000Z' }),
        makeEvent({ timestamp: '2026-01-10T09:00:00.000Z' }),
        makeInteraction({ sessionId: 's', timestamp: '2026-02-20T08:00:00.000Z' }),
      ]);
      const report = await storage.runRetention();
      expect(report.days.map((d) => [d.day, d.interactions, d.events])).toEqual([['2026-01-10', 1, 1]]);
      expect((await readdir(archiveDir)).sort()).toEqual([`${report.days[0]!.archivePath.split('/').pop()}`, `${report.days[0]!.archivePath.split('/').pop()}.sha256`].sort());
      expect(await storage.countInteractions(parseQuery({}))).toBe(1);
      expect((await storage.querySessions(parseQuery({}))).items.map((s) => s.interactionCount)).toEqual([1]);
      expect((await storage.queryEvents(parseQuery({ actionName: 'auditrail.retention' }))).items.map((e) => e.eventType)).toEqual(['action_completed']);
    } finally {
      await storage.close();
      await cleanup();
      await rm(archiveDir, { recursive: true, force: true });
    }
  }, 120_000);
});

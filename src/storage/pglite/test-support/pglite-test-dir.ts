import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteStorage } from '../create-pglite-storage.js';

let template: Promise<string> | undefined;

/**
 * A fresh storage folder for a test. Creating a PGlite cluster (initdb) takes seconds on a busy
 * machine, so the first call builds a migrated template and every call copies it.
 */
export async function createPgliteTestDir(): Promise<{ dataDir: string; cleanup: () => Promise<void> }> {
  template ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditrail-pglite-template-'));
    const s = await createPgliteStorage({ dataDir: dir, worker: false, partitionsAheadDays: 0, searchIndexIntervalMs: 0 });
    await s.close();
    return dir;
  })();
  const from = await template;
  const dataDir = await mkdtemp(join(tmpdir(), 'auditrail-pglite-'));
  await cp(from, dataDir, { recursive: true });
  return { dataDir, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}

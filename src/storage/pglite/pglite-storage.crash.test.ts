import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseQuery, uuidv7 } from '../../core/index.js';
import { makeInteraction } from '../contract/fixtures.js';
import { createPgliteStorage } from './create-pglite-storage.js';
import { createPgliteTestDir } from './test-support/pglite-test-dir.js';

const WRITER = fileURLToPath(new URL('./test-support/crash-writer.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');

describe('pglite storage when its process is killed', () => {
  it('keeps every acknowledged batch after SIGKILL in the middle of writing, and opens again (LOCK of the dead process taken over)', async () => {
    const { dataDir, cleanup } = await createPgliteTestDir();
    try {
      const child = spawn(process.execPath, ['--import', TSX, WRITER, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let acked = 0;
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/acked (\d+)/g)) acked = Number(m[1]);
          // Killed while it is writing: the next batch is in flight.
          if (acked >= 300 && !child.killed) child.kill('SIGKILL');
        });
        child.once('exit', () => resolve());
        child.once('error', reject);
      });
      expect(acked).toBeGreaterThanOrEqual(300);
      const storage = await createPgliteStorage({ dataDir, partitionsAheadDays: 0, searchIndexIntervalMs: 0 });
      try {
        const count = await storage.countInteractions(parseQuery({}));
        expect(count, 'every acknowledged record is there; at most the batch in flight more').toBeGreaterThanOrEqual(acked);
        expect(count - acked).toBeLessThanOrEqual(50);
        expect(count % 50, 'no batch half-written').toBe(0);
        expect((await storage.append([makeInteraction({ interactionId: uuidv7() })])).accepted).toBe(1);
      } finally {
        await storage.close();
      }
    } finally {
      await cleanup();
    }
  }, 180_000);
});

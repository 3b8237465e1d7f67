/**
 * A child process for the crash test: opens the PGlite storage in argv[2], appends batches of
 * interactions forever and prints "acked <n>" after each append resolves. The test kills it
 * with SIGKILL at some point and checks that every acknowledged record survived.
 */
import { makeInteraction } from '../../contract/fixtures.js';
import { createPgliteStorage } from '../create-pglite-storage.js';

const dataDir = process.argv[2]!;
const storage = await createPgliteStorage({ dataDir, partitionsAheadDays: 0, searchIndexIntervalMs: 0 });
let n = 0;
for (;;) {
  const batch = Array.from({ length: 50 }, (_, k) => makeInteraction({ sessionId: `crash-${n}`, timestamp: new Date(Date.UTC(2026, 0, 15) + (n + k) * 1000).toISOString() }));
  await storage.append(batch);
  n += batch.length;
  process.stdout.write(`acked ${n}\n`);
}

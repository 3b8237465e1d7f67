import { describe, expect, it } from 'vitest';
import { createMemoryStorage, type AuditRecord, type Storage } from '../core/index.js';
import { createAuditLogger } from './logger.js';

const PRODUCERS = 50;
const EVENTS_EACH = 10_000;

/** A memory storage that also sums what append() reports, to see duplicates the storage absorbed. */
function countingStorage(): { storage: Storage; totals: { accepted: number; duplicates: number } } {
  const inner = createMemoryStorage();
  const totals = { accepted: 0, duplicates: 0 };
  const append = async (records: readonly AuditRecord[]) => {
    const r = await inner.append(records);
    totals.accepted += r.accepted;
    totals.duplicates += r.duplicates;
    return r;
  };
  const storage = new Proxy(inner, {
    get(target, key) {
      if (key === 'append') return append;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Storage;
  return { storage, totals };
}

describe('concurrent producers', () => {
  it(`${PRODUCERS} producers recording ${EVENTS_EACH} events each lose nothing and duplicate nothing`, { timeout: 180_000 }, async () => {
    const { storage, totals } = countingStorage();
    // The queue holds a full round of every producer, so it never fills while they interleave.
    const logger = createAuditLogger({ storage, context: { orgId: 'org_c', userId: 'u' }, maxQueueSize: 100_000, maxBatchSize: 2_000, flushOnExit: false });
    const ids: string[][] = [];
    const producer = async (p: number): Promise<void> => {
      const child = logger.withContext({ agentId: `agent_${p}`, sessionId: `session_${p}` });
      const mine: string[] = [];
      ids.push(mine);
      for (let i = 0; i < EVENTS_EACH; i++) {
        const id = child.actionStarted({ actionId: `p${p}_${i}`, actionName: 'step', actionParams: { i } });
        if (id !== undefined) mine.push(id);
        // Yield to the other producers (and the exporter) at uneven points.
        if ((i + p) % 97 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all(Array.from({ length: PRODUCERS }, (_, p) => producer(p)));
    await logger.shutdown();

    const total = PRODUCERS * EVENTS_EACH;
    const s = logger.stats();
    expect(s).toMatchObject({ recorded: total, exported: total, dropped: 0, rejected: 0, queued: 0, inFlight: 0 });
    expect(totals).toEqual({ accepted: total, duplicates: 0 });
    const all = ids.flat();
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(total);
    for (let p = 0; p < PRODUCERS; p += 7) expect(await storage.countEvents({ sessionId: `session_${p}`, limit: 100, order: 'desc' })).toBe(EVENTS_EACH);
    let missing = 0;
    for (const id of all) if ((await storage.getEvent(id)) === undefined) missing++;
    expect(missing).toBe(0);
  });
});

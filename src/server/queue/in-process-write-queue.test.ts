import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAuditrailError } from '../../core/errors.js';
import { GatedStorage } from '../test-support/gated-storage.js';
import { parsedEvents } from '../test-support/sample-records.js';
import { InProcessWriteQueue } from './in-process-write-queue.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('in-process write queue', () => {
  it('resolves each request only after its records are stored, with its own outcomes in order', async () => {
    const storage = new GatedStorage(false);
    const queue = new InProcessWriteQueue({ storage, batchIntervalMs: 0 });
    const a = parsedEvents(2);
    let done = false;
    const p = queue.submit('org_a', [a[0]!, a[1]!, a[0]!]).then((r) => ((done = true), r));
    await storage.waitForAppends(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(0);
    storage.release();
    const result = await p;
    expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'duplicate']);
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(2);
  });

  it('writes requests that arrive while the writers are busy together in one storage batch', async () => {
    const storage = new GatedStorage(false);
    const queue = new InProcessWriteQueue({ storage, workers: 1, batchIntervalMs: 0, maxBatchSize: 100 });
    const first = queue.submit('org_a', parsedEvents(1));
    const rest = Array.from({ length: 10 }, () => queue.submit('org_a', parsedEvents(3)));
    storage.release();
    await Promise.all([first, ...rest]);
    expect(storage.appends.map((b) => b.length)).toEqual([1, 30]);
  });

  it('never splits a request and keeps batches under maxBatchSize otherwise', async () => {
    const storage = new GatedStorage(false);
    const queue = new InProcessWriteQueue({ storage, workers: 1, batchIntervalMs: 0, maxBatchSize: 5 });
    const ps = [queue.submit('org_a', parsedEvents(1)), queue.submit('org_a', parsedEvents(8)), queue.submit('org_a', parsedEvents(3)), queue.submit('org_a', parsedEvents(2))];
    storage.release();
    await Promise.all(ps);
    expect(storage.appends.map((b) => b.length)).toEqual([1, 8, 5]);
  });

  it('refuses with QUEUE_FULL instead of buffering beyond maxQueueSize, and takes work again once drained', async () => {
    const storage = new GatedStorage(false);
    const queue = new InProcessWriteQueue({ storage, maxQueueSize: 10, batchIntervalMs: 0 });
    const admitted = queue.submit('org_a', parsedEvents(8));
    await expect(queue.submit('org_a', parsedEvents(3))).rejects.toSatisfy((e) => isAuditrailError(e, 'QUEUE_FULL'));
    expect(queue.isFull(3)).toBe(true);
    expect(queue.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
    const own = queue.submit('org_a', parsedEvents(3), { bypassCapacity: true });
    storage.release();
    await Promise.all([admitted, own]);
    await expect(queue.submit('org_a', parsedEvents(3))).resolves.toMatchObject({ accepted: 3 });
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(14);
  });

  it('writes one org with one writer at a time while other orgs proceed in parallel', async () => {
    const storage = new GatedStorage(false);
    const queue = new InProcessWriteQueue({ storage, workers: 4, batchIntervalMs: 0, maxBatchSize: 2 });
    const ps = [];
    for (let i = 0; i < 6; i++) {
      ps.push(queue.submit('org_a', parsedEvents(2, { orgId: 'org_a' })));
      ps.push(queue.submit('org_b', parsedEvents(2, { orgId: 'org_b' })));
    }
    await new Promise((r) => setTimeout(r, 10));
    storage.release();
    await Promise.all(ps);
    expect(storage.maxConcurrentPerOrg).toBe(1);
    expect(storage.maxConcurrent).toBe(2);
  });

  it('rejects the requests of a failed write and keeps writing the next ones', async () => {
    const storage = new GatedStorage(false);
    storage.failNext = 1;
    const queue = new InProcessWriteQueue({ storage, workers: 1, batchIntervalMs: 0 });
    const failed = queue.submit('org_a', parsedEvents(2));
    storage.release();
    await expect(failed).rejects.toSatisfy((e) => isAuditrailError(e, 'STORAGE_UNAVAILABLE'));
    await expect(queue.submit('org_a', parsedEvents(2))).resolves.toMatchObject({ accepted: 2 });
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(2);
  });

  it('waits batchIntervalMs for a batch to fill, and writes a full batch at once', async () => {
    vi.useFakeTimers();
    const storage = new GatedStorage(true);
    const queue = new InProcessWriteQueue({ storage, batchIntervalMs: 1000, maxBatchSize: 4 });
    void queue.submit('org_a', parsedEvents(1));
    await vi.advanceTimersByTimeAsync(500);
    expect(storage.appends).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(600);
    expect(storage.appends.map((b) => b.length)).toEqual([1]);
    void queue.submit('org_a', parsedEvents(4));
    await vi.advanceTimersByTimeAsync(1);
    expect(storage.appends.map((b) => b.length)).toEqual([1, 4]);
  });

  it('on close writes everything admitted, then refuses new work; a second close returns the same promise', async () => {
    const storage = new GatedStorage(false);
    const queue = new InProcessWriteQueue({ storage, batchIntervalMs: 60_000 });
    const pending = [queue.submit('org_a', parsedEvents(2)), queue.submit('org_b', parsedEvents(3, { orgId: 'org_b' }))];
    const closed = queue.close();
    expect(queue.close()).toBe(closed);
    await expect(queue.submit('org_a', parsedEvents(1))).rejects.toSatisfy((e) => isAuditrailError(e, 'SHUTTING_DOWN'));
    storage.release();
    await closed;
    await Promise.all(pending);
    expect(await storage.countEvents({ limit: 100, order: 'desc' })).toBe(5);
    expect(queue.stats()).toMatchObject({ pendingRecords: 0, inFlightRecords: 0 });
  });
});

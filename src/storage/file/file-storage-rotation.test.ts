import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../core/index.js';
import { FIXTURE_START_MS, makeEvent } from '../contract/fixtures.js';
import { segmentFiles, tempStores } from './test-support/temp-store.js';

const at = (s: number) => new Date(FIXTURE_START_MS + s * 1000).toISOString();
const batches = (n: number, size: number) => Array.from({ length: n }, (_, b) => Array.from({ length: size }, (_, k) => makeEvent({ timestamp: at(b * size + k) })));

describe('file storage rotation and retention', () => {
  const stores = tempStores();

  it('starts a new segment when the next batch would pass maxFileBytes, never splitting a batch', async () => {
    const directory = await stores.dir();
    const { storage } = await stores.open({ directory, maxFileBytes: 8 * 1024 });
    for (const b of batches(20, 5)) await storage.append(b);
    const files = await segmentFiles(directory);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect((await stat(join(directory, f))).size).toBeLessThanOrEqual(8 * 1024);
    expect(await storage.countEvents(parseQuery({}))).toBe(100);
    expect(storage.stats()).toMatchObject({ segments: files.length, records: 100, removedSegments: 0 });
  });

  it('writes a batch larger than maxFileBytes whole into one segment', async () => {
    const directory = await stores.dir();
    const { storage } = await stores.open({ directory, maxFileBytes: 1024 });
    await storage.append(batches(1, 2)[0]!);
    await storage.append(batches(1, 30)[0]!);
    const files = await segmentFiles(directory);
    expect(files).toHaveLength(2);
    expect((await stat(join(directory, files[1]!))).size).toBeGreaterThan(1024);
    expect(await storage.countEvents(parseQuery({}))).toBe(32);
  });

  it('keeps every segment when maxFiles is 0 (the default)', async () => {
    const directory = await stores.dir();
    const { storage, diagnostics } = await stores.open({ directory, maxFileBytes: 2048 });
    for (const b of batches(30, 3)) await storage.append(b);
    expect((await segmentFiles(directory)).length).toBeGreaterThan(10);
    expect(diagnostics).toEqual([]);
    expect(await storage.countEvents(parseQuery({}))).toBe(90);
  });

  it('removes the oldest segments past maxFiles, reports and counts each removal', async () => {
    const directory = await stores.dir();
    const { storage, diagnostics } = await stores.open({ directory, maxFileBytes: 2048, maxFiles: 3 });
    const all = batches(30, 3);
    for (const b of all) await storage.append(b);
    const files = await segmentFiles(directory);
    expect(files).toHaveLength(3);
    const removed = diagnostics.filter((d) => d.type === 'segment_removed');
    expect(removed.length).toBeGreaterThan(0);
    expect(removed[0]).toMatchObject({ type: 'segment_removed', file: join(directory, 'segment-0000000001.jsonl') });
    const removedRecords = removed.reduce((n, d) => n + (d.type === 'segment_removed' ? d.records : 0), 0);
    const left = await storage.countEvents(parseQuery({}));
    expect(left + removedRecords).toBe(90);
    expect(storage.stats()).toMatchObject({ segments: 3, records: left, removedSegments: removed.length, removedRecords });
    // The newest records are the ones kept; the oldest are gone, and get() no longer finds them.
    const newest = all[all.length - 1]![2]!;
    expect((await storage.getEvent(newest.eventId))?.eventId).toBe(newest.eventId);
    expect(await storage.getEvent(all[0]![0]!.eventId)).toBeUndefined();
    // A removed record is no longer stored, so sending it again stores it again.
    expect((await storage.append([all[0]![0]!])).accepted).toBe(1);
  });
});

import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../../core/index.js';
import { encodeFrame, FRAME_HEADER_BYTES, SEGMENT_HEADER_BYTES, SEGMENT_MAGIC } from './frame-codec.js';
import { OFFSET_FILE } from './replay-offset.js';
import { segmentPath } from './segment-files.js';
import { SpoolStore, type SpoolStoreOptions } from './spool-store.js';

let dir: string;
let stores: SpoolStore[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-spool-store-'));
  stores = [];
});
afterEach(async () => {
  for (const s of stores) await s.close();
  await rm(dir, { recursive: true, force: true });
});

async function openStore(extra: Partial<SpoolStoreOptions> = {}) {
  const opened = await SpoolStore.open({ directory: dir, maxBytes: 1024 * 1024, maxSegmentBytes: 256 * 1024, fsync: true, ...extra });
  stores.push(opened.store);
  return opened;
}

const payload = (i: number) => Buffer.from(JSON.stringify({ n: i, text: `record ${i}` }));
const frames = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => encodeFrame(payload(from + k)));
const numbers = (payloads: Buffer[]) => payloads.map((p) => (JSON.parse(p.toString()) as { n: number }).n);

/** Reads everything pending, committing batch by batch, as the replayer does. */
async function drain(store: SpoolStore, batch = 4): Promise<number[]> {
  const out: number[] = [];
  for (;;) {
    const r = await store.read(batch, Number.POSITIVE_INFINITY);
    if (r.payloads.length === 0) return out;
    out.push(...numbers(r.payloads));
    await store.commit(r.end, r.payloads.length);
  }
}

async function close(store: SpoolStore): Promise<void> {
  await store.close();
  stores = stores.filter((s) => s !== store);
}

async function onlySegment(): Promise<string> {
  const segs = (await readdir(dir)).filter((n) => n.endsWith('.spool'));
  expect(segs).toHaveLength(1);
  return join(dir, segs[0]!);
}

describe('spool store', () => {
  it('writes each record as a frame of length, CRC-32 and payload after the segment header', async () => {
    const { store } = await openStore();
    await store.append([encodeFrame(payload(1)), encodeFrame(payload(2))]);
    const bytes = await readFile(await onlySegment());
    expect(bytes.subarray(0, SEGMENT_HEADER_BYTES)).toEqual(SEGMENT_MAGIC);
    let at = SEGMENT_HEADER_BYTES;
    for (const n of [1, 2]) {
      const len = bytes.readUInt32LE(at);
      const body = bytes.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + len);
      expect(body).toEqual(payload(n));
      expect(bytes.readUInt32LE(at + 4)).toBe(crc32(body));
      at += FRAME_HEADER_BYTES + len;
    }
    expect(at).toBe(bytes.length);
    expect(store.pendingRecords).toBe(2);
  });

  it('replays in the order of appending, across segments', async () => {
    const { store } = await openStore({ maxSegmentBytes: 200 });
    for (let i = 0; i < 30; i += 3) await store.append(frames(i, i + 3));
    expect(store.segments).toBeGreaterThan(3);
    expect(await drain(store)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('cuts off a torn last frame at open (a crash mid-write) and keeps every frame before it', async () => {
    const first = await openStore();
    await first.store.append(frames(0, 3));
    await close(first.store);
    const path = await onlySegment();
    const good = (await stat(path)).size;
    const torn = encodeFrame(payload(3)).subarray(0, 13); // header and 5 bytes of the payload
    await appendFile(path, torn);

    const { store, cuts } = await openStore();
    expect(cuts).toEqual([{ segment: expect.any(Number), bytes: 13, problem: 'incomplete' }]);
    expect((await stat(path)).size).toBe(good);
    expect(await drain(store)).toEqual([0, 1, 2]);
  });

  it('cuts at a frame whose checksum fails, and at a zero-filled tail', async () => {
    const first = await openStore();
    await first.store.append(frames(0, 3));
    await close(first.store);
    const path = await onlySegment();
    const bytes = await readFile(path);
    const second = SEGMENT_HEADER_BYTES + encodeFrame(payload(0)).length;
    bytes.writeUInt8(bytes.readUInt8(second + FRAME_HEADER_BYTES + 2) ^ 0xff, second + FRAME_HEADER_BYTES + 2); // frame 1's payload damaged
    await writeFile(path, Buffer.concat([bytes, Buffer.alloc(64)]));

    const { store, cuts } = await openStore();
    expect(cuts).toMatchObject([{ problem: 'corrupt', bytes: bytes.length - second + 64 }]);
    expect(await drain(store)).toEqual([0]);

    const zeros = await mkdtemp(join(tmpdir(), 'auditrail-spool-zeros-'));
    try {
      const z1 = await SpoolStore.open({ directory: zeros, maxBytes: 1 << 20, maxSegmentBytes: 1 << 18, fsync: false });
      await z1.store.append(frames(0, 2));
      await z1.store.close();
      const seg = (await readdir(zeros)).find((n) => n.endsWith('.spool'))!;
      await appendFile(join(zeros, seg), Buffer.alloc(4096)); // what some file systems show after a crash
      const z2 = await SpoolStore.open({ directory: zeros, maxBytes: 1 << 20, maxSegmentBytes: 1 << 18, fsync: false });
      expect(z2.cuts).toMatchObject([{ problem: 'corrupt', bytes: 4096 }]);
      expect(z2.store.pendingRecords).toBe(2);
      await z2.store.close();
    } finally {
      await rm(zeros, { recursive: true, force: true });
    }
  });

  it('resumes from the persisted replay position after a reopen: an interrupted replay neither skips nor repeats', async () => {
    const first = await openStore();
    await first.store.append(frames(0, 10));
    const r = await first.store.read(4, Number.POSITIVE_INFINITY);
    expect(numbers(r.payloads)).toEqual([0, 1, 2, 3]);
    await first.store.commit(r.end, 4);
    // read but not committed (the export did not come back before the crash): sent again
    await first.store.read(4, Number.POSITIVE_INFINITY);
    await close(first.store);

    const { store } = await openStore();
    expect(store.pendingRecords).toBe(6);
    expect(await drain(store)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('starts from the oldest segment when the position file is missing or damaged (records sent again, never skipped)', async () => {
    const first = await openStore();
    await first.store.append(frames(0, 4));
    const r = await first.store.read(2, Number.POSITIVE_INFINITY);
    await first.store.commit(r.end, 2);
    await close(first.store);
    await writeFile(join(dir, OFFSET_FILE), 'garbage\n');
    const { store } = await openStore();
    expect(await drain(store)).toEqual([0, 1, 2, 3]);
  });

  it('compacts: delivered segments are deleted, and when everything is delivered the spool is back to one empty segment', async () => {
    const { store } = await openStore({ maxSegmentBytes: 200 });
    for (let i = 0; i < 20; i += 2) await store.append(frames(i, i + 2));
    const before = store.bytes;
    await drain(store, 3);
    expect(store.pendingRecords).toBe(0);
    expect(store.bytes).toBe(SEGMENT_HEADER_BYTES);
    expect(before).toBeGreaterThan(10 * SEGMENT_HEADER_BYTES);
    expect((await stat(await onlySegment())).size).toBe(SEGMENT_HEADER_BYTES);
    // and it keeps working after the rotation
    await store.append(frames(100, 102));
    expect(await drain(store)).toEqual([100, 101]);
  });

  it('reports no room once the files reach maxBytes', async () => {
    const { store } = await openStore({ maxBytes: 64 * 1024, maxSegmentBytes: 16 * 1024 });
    const big = encodeFrame(Buffer.alloc(1000, 'x'));
    while (store.freeBytes() >= big.length) await store.append([big]);
    expect(store.bytes + big.length).toBeGreaterThan(64 * 1024 - SEGMENT_HEADER_BYTES);
    expect(store.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('admits one process per directory, and takes over the lock of a process that died', async () => {
    await openStore();
    const err = await SpoolStore.open({ directory: dir, maxBytes: 1 << 20, maxSegmentBytes: 1 << 18, fsync: false }).catch((e: unknown) => e);
    expect(isAuditrailError(err, 'SPOOL_UNAVAILABLE')).toBe(true);
    await close(stores[0]!);

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const fh = await open(join(dir, 'LOCK'), 'w');
    await fh.writeFile(dead);
    await fh.close();
    const { store } = await openStore();
    expect(store.pendingRecords).toBe(0);
  });

  it('removes a segment left without its header (a crash right after creating it)', async () => {
    const first = await openStore();
    await first.store.append(frames(0, 2));
    await close(first.store);
    await writeFile(segmentPath(dir, 999), Buffer.from('ATR'));
    const { store, cuts } = await openStore();
    expect(cuts).toMatchObject([{ segment: 999, problem: 'header', bytes: 3 }]);
    expect(await drain(store)).toEqual([0, 1]);
  });
});

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { SEGMENT_HEADER_BYTES, SEGMENT_MAGIC } from './frame-codec.js';
import { readReplayOffset, writeReplayOffset, type SpoolPosition } from './replay-offset.js';
import { createSegment, hasSegmentHeader, listSegments, removeSegment, segmentPath } from './segment-files.js';
import { readFrames } from './segment-reader.js';
import { lockSpoolDirectory, type SpoolLock } from './spool-lock.js';

export interface SpoolStoreOptions {
  readonly directory: string;
  /** Bound on the bytes of all segment files together. */
  readonly maxBytes: number;
  /** A segment is closed and a new one started past this size. */
  readonly maxSegmentBytes: number;
  /** fsync appends, new segments and the replay position. */
  readonly fsync: boolean;
}

/** Bytes cut off a segment at open or during replay because they failed their checks. */
export interface SpoolCut {
  readonly segment: number;
  readonly bytes: number;
  readonly problem: 'incomplete' | 'corrupt' | 'header';
}

export interface ReplayBatch {
  readonly payloads: Buffer[];
  /** The position after these frames: commit it once they are delivered. */
  readonly end: SpoolPosition;
}

interface Segment {
  readonly seq: number;
  /** Bytes of the file that hold good frames (header included). */
  bytes: number;
  /** Frames in the file. */
  frames: number;
}

/**
 * The spool on disk: append-only segment files of checksummed frames (one record each), and a
 * persisted replay position. Appends go to the newest segment; replay reads from the oldest;
 * a segment whose frames are all delivered is deleted, and when everything is delivered the
 * newest one is rotated out too, so the spool's size returns to nothing (compaction).
 *
 * Every operation runs in one serial chain, so appends, reads and commits never interleave on
 * the files. Errors (I/O) are thrown to the caller.
 */
export class SpoolStore {
  readonly #o: SpoolStoreOptions;
  readonly #lock: SpoolLock;
  /** Oldest first; the last one is the active (append) segment. */
  readonly #segments: Segment[];
  #active: FileHandle;
  /** The next frame to replay is at this offset of #segments[0]... */
  #offset: number;
  /** ...which is the frame with this index in it. */
  #headDone: number;
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** Sum of the segments' bytes, kept so that freeBytes() is O(1) on the record path. */
  #bytes = 0;

  private constructor(o: SpoolStoreOptions, lock: SpoolLock, segments: Segment[], active: FileHandle, offset: number, headDone: number) {
    this.#o = o;
    this.#lock = lock;
    this.#segments = segments;
    this.#active = active;
    this.#offset = offset;
    this.#headDone = headDone;
    this.#recount();
  }

  /**
   * Opens (creating) the directory: takes the lock, deletes delivered segments, checks every
   * frame of the others and cuts off what fails (the torn tail of a crash), then starts a new
   * active segment. What remains is the backlog to replay, oldest first.
   */
  static async open(o: SpoolStoreOptions): Promise<{ store: SpoolStore; cuts: SpoolCut[] }> {
    await mkdir(o.directory, { recursive: true });
    const lock = await lockSpoolDirectory(o.directory);
    try {
      const cuts: SpoolCut[] = [];
      const saved = await readReplayOffset(o.directory);
      const segments: Segment[] = [];
      let offset = SEGMENT_HEADER_BYTES;
      let headDone = 0;
      for (const seq of await listSegments(o.directory)) {
        if (saved !== undefined && seq < saved.segment) {
          await removeSegment(o.directory, seq);
          continue;
        }
        const from = saved !== undefined && seq === saved.segment ? saved.offset : SEGMENT_HEADER_BYTES;
        const scanned = await scanSegment(o.directory, seq, from, cuts);
        if (scanned === undefined || scanned.frames === scanned.done) {
          await removeSegment(o.directory, seq);
          continue;
        }
        if (segments.length === 0) {
          offset = scanned.offset;
          headDone = scanned.done;
        }
        segments.push({ seq, bytes: scanned.bytes, frames: scanned.frames });
      }
      const last = segments.at(-1)?.seq ?? saved?.segment ?? 0;
      const seq = last + 1;
      const active = await createSegment(o.directory, seq, o.fsync);
      segments.push({ seq, bytes: SEGMENT_HEADER_BYTES, frames: 0 });
      if (segments.length === 1) offset = SEGMENT_HEADER_BYTES;
      await writeReplayOffset(o.directory, { segment: segments[0]!.seq, offset }, o.fsync);
      return { store: new SpoolStore(o, lock, segments, active, offset, headDone), cuts };
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** Records waiting to be replayed. */
  get pendingRecords(): number {
    let n = -this.#headDone;
    for (const s of this.#segments) n += s.frames;
    return n;
  }

  /** Bytes of all segment files (what maxBytes bounds), as of the last completed operation. */
  get bytes(): number {
    return this.#bytes;
  }

  get segments(): number {
    return this.#segments.length;
  }

  /** Room left under maxBytes, for frames about to be appended (a rollover's header included). */
  freeBytes(): number {
    return Math.max(0, this.#o.maxBytes - this.bytes - SEGMENT_HEADER_BYTES);
  }

  /** Appends encoded frames in order (rolling over to new segments as they fill) and fsyncs. */
  append(frames: readonly Buffer[]): Promise<void> {
    return this.#serial(async () => {
      let i = 0;
      while (i < frames.length) {
        const active = this.#segments.at(-1)!;
        if (active.frames > 0 && active.bytes + frames[i]!.length > this.#o.maxSegmentBytes) await this.#rollover();
        const group: Buffer[] = [];
        let bytes = this.#segments.at(-1)!.bytes;
        while (i < frames.length && (group.length === 0 || bytes + frames[i]!.length <= this.#o.maxSegmentBytes)) {
          bytes += frames[i]!.length;
          group.push(frames[i++]!);
        }
        await this.#write(group);
      }
    });
  }

  /** Reads up to maxFrames frames (and about maxPayloadBytes) from the replay position, oldest first. */
  read(maxFrames: number, maxPayloadBytes: number): Promise<ReplayBatch & { cut?: SpoolCut }> {
    return this.#serial(async () => {
      const head = this.#segments[0]!;
      const empty = { payloads: [], end: { segment: head.seq, offset: this.#offset } };
      if (this.#headDone === head.frames) return empty;
      const fh = await open(segmentPath(this.#o.directory, head.seq), 'r');
      try {
        const r = await readFrames(fh, this.#offset, head.bytes, { maxFrames, maxPayloadBytes, keep: true });
        const payloads = r.frames.map((f) => f.payload);
        if (r.problem === undefined) return { payloads, end: { segment: head.seq, offset: r.end } };
        // bytes checked at open went bad since: keep what was read, give up the rest of the segment
        const cut: SpoolCut = { segment: head.seq, bytes: head.bytes - r.end, problem: r.problem };
        if (head === this.#segments.at(-1)) await this.#rollover();
        head.frames = this.#headDone + r.count;
        head.bytes = r.end;
        return { payloads, end: { segment: head.seq, offset: r.end }, cut };
      } finally {
        await fh.close();
      }
    });
  }

  /** The frames up to `end` are delivered: persist the position and delete what is fully delivered. */
  commit(end: SpoolPosition, frames: number): Promise<void> {
    return this.#serial(async () => {
      const head = this.#segments[0]!;
      if (end.segment !== head.seq || end.offset < this.#offset) return;
      this.#offset = end.offset;
      this.#headDone += frames;
      await writeReplayOffset(this.#o.directory, { segment: head.seq, offset: end.offset }, this.#o.fsync);
      await this.#compact();
    });
  }

  /**
   * At process exit (nothing asynchronous runs any more): writes frames synchronously to a new
   * segment after all the others, fsynced, and releases the lock. The next open() reads it like
   * any segment, after the ones before it. An append in flight may be torn; open() cuts it.
   */
  writeAtExitSync(frames: readonly Buffer[]): void {
    this.#closed = true;
    try {
      if (frames.length === 0) return;
      const path = segmentPath(this.#o.directory, this.#segments.at(-1)!.seq + 1);
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, Buffer.concat([SEGMENT_MAGIC, ...frames]));
        if (this.#o.fsync) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (this.#o.fsync) {
        const dir = openSync(this.#o.directory, 'r');
        try {
          fsyncSync(dir);
        } finally {
          closeSync(dir);
        }
      }
    } finally {
      this.#lock.releaseSync();
    }
  }

  /** Waits for pending operations, closes the active segment, releases the lock. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    const done = this.#chain.then(
      () => undefined,
      () => undefined,
    );
    return done.then(async () => {
      await this.#active.close().catch(() => undefined);
      await this.#lock.release();
    });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the spool is closed'));
    const counted = async (): Promise<T> => {
      try {
        return await fn();
      } finally {
        this.#recount();
      }
    };
    const run = this.#chain.then(counted, counted);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #recount(): void {
    let n = 0;
    for (const s of this.#segments) n += s.bytes;
    this.#bytes = n;
  }

  async #write(group: readonly Buffer[]): Promise<void> {
    const active = this.#segments.at(-1)!;
    const buf = group.length === 1 ? group[0]! : Buffer.concat(group);
    let written = 0;
    try {
      while (written < buf.length) {
        const { bytesWritten } = await this.#active.write(buf, written, buf.length - written, active.bytes + written);
        written += bytesWritten;
      }
      if (this.#o.fsync) await this.#active.datasync();
    } catch (err) {
      // no half frame may stay in front of the next append: cut the file back to its last good frame
      await this.#active.truncate(active.bytes).catch(() => undefined);
      throw err;
    }
    active.bytes += buf.length;
    active.frames += group.length;
  }

  async #rollover(): Promise<void> {
    const seq = this.#segments.at(-1)!.seq + 1;
    const next = await createSegment(this.#o.directory, seq, this.#o.fsync);
    const previous = this.#active;
    this.#active = next;
    this.#segments.push({ seq, bytes: SEGMENT_HEADER_BYTES, frames: 0 });
    await previous.close();
  }

  /** Deletes delivered segments; when everything is delivered, rotates the active one out too. */
  async #compact(): Promise<void> {
    while (this.#segments.length > 1 && this.#headDone === this.#segments[0]!.frames) {
      // the position moves to the next segment; a crash before the next commit leaves the old
      // position, naming a deleted segment, which open() reads as "start of the oldest one left"
      await removeSegment(this.#o.directory, this.#segments[0]!.seq);
      this.#segments.shift();
      this.#offset = SEGMENT_HEADER_BYTES;
      this.#headDone = 0;
    }
    const head = this.#segments[0]!;
    if (this.#segments.length === 1 && this.#headDone === head.frames && head.frames > 0) {
      await this.#rollover();
      await writeReplayOffset(this.#o.directory, { segment: this.#segments[1]!.seq, offset: SEGMENT_HEADER_BYTES }, this.#o.fsync);
      await removeSegment(this.#o.directory, head.seq);
      this.#segments.shift();
      this.#offset = SEGMENT_HEADER_BYTES;
      this.#headDone = 0;
    }
  }
}

interface Scanned {
  /** Bytes of good frames (header included). */
  readonly bytes: number;
  readonly frames: number;
  /** Frames before the replay position, and the position (moved back to a frame boundary if needed). */
  readonly done: number;
  readonly offset: number;
}

/** Checks every frame of a segment, cuts off the bad tail; undefined when the file is not a segment. */
async function scanSegment(directory: string, seq: number, replayFrom: number, cuts: SpoolCut[]): Promise<Scanned | undefined> {
  const fh = await open(segmentPath(directory, seq), 'r+');
  try {
    const { size } = await fh.stat();
    if (!(await hasSegmentHeader(fh))) {
      // a crash between creating the file and writing its 8 bytes, or a foreign file
      if (size > 0) cuts.push({ segment: seq, bytes: size, problem: 'header' });
      return undefined;
    }
    const limits = { maxFrames: Number.POSITIVE_INFINITY, maxPayloadBytes: Number.POSITIVE_INFINITY, keep: false };
    const before = await readFrames(fh, SEGMENT_HEADER_BYTES, Math.min(Math.max(replayFrom, SEGMENT_HEADER_BYTES), size), limits);
    // a position inside a frame (should not happen) moves back to that frame: sent again, never skipped
    const after = before.problem === 'corrupt' ? before : await readFrames(fh, before.end, size, limits);
    const end = after.end;
    const frames = before.count + (after === before ? 0 : after.count);
    if (end < size) {
      cuts.push({ segment: seq, bytes: size - end, problem: after.problem ?? 'incomplete' });
      await fh.truncate(end);
      await fh.sync();
    }
    return { bytes: end, frames, done: before.count, offset: before.end };
  } finally {
    await fh.close();
  }
}

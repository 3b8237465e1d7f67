import type { FileHandle } from 'node:fs/promises';
import { decodeFrames, frameLengthAt, type DecodedFrame, type FrameProblem } from './frame-codec.js';

const CHUNK_BYTES = 1024 * 1024;

export interface ReadLimits {
  /** Stop after this many frames. */
  readonly maxFrames: number;
  /** Stop before the frame that would take the payload bytes read past this (at least one frame is read). */
  readonly maxPayloadBytes: number;
  /** Keep the payloads (replay) or only count the frames (scan at open). */
  readonly keep: boolean;
}

export interface ReadResult {
  readonly frames: DecodedFrame[];
  /** Frames read (kept or not). */
  readonly count: number;
  /** Offset just after the last good frame read. */
  readonly end: number;
  /** Set when a frame before `to` was incomplete or failed its checks: the bytes from `end` on are unusable. */
  readonly problem?: FrameProblem;
}

/**
 * Reads the frames of a segment between `from` (a frame boundary) and `to` (the end of the bytes
 * to trust), in chunks, so that scanning a large segment does not hold it in memory.
 */
export async function readFrames(fh: FileHandle, from: number, to: number, limits: ReadLimits): Promise<ReadResult> {
  const frames: DecodedFrame[] = [];
  let count = 0;
  let payloadBytes = 0;
  let at = from;
  while (at < to && count < limits.maxFrames) {
    const head = await readAt(fh, at, Math.min(to - at, CHUNK_BYTES));
    // a frame larger than a chunk is read whole
    const needed = frameLengthAt(head, 0);
    const bytes = needed !== undefined && needed > head.length && at + needed <= to ? await readAt(fh, at, needed) : head;
    const decoded = decodeFrames(bytes, at, limits.maxFrames - count);
    for (const f of decoded.frames) {
      if (count > 0 && payloadBytes + f.payload.length > limits.maxPayloadBytes) return { frames, count, end: f.offset };
      payloadBytes += f.payload.length;
      count++;
      if (limits.keep) frames.push({ offset: f.offset, payload: Buffer.from(f.payload) });
    }
    const progressed = decoded.end > at;
    at = decoded.end;
    if (decoded.problem === 'corrupt') return { frames, count, end: at, problem: 'corrupt' };
    // an incomplete frame at the end of a chunk is read again with the next chunk; at `to` it is torn
    if (decoded.problem === 'incomplete' && (!progressed || bytes.length < CHUNK_BYTES)) return { frames, count, end: at, problem: 'incomplete' };
  }
  return { frames, count, end: at };
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await fh.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

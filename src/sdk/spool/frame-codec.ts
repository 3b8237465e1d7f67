import { crc32 } from 'node:zlib';

/** Every segment starts with these 8 bytes (format name and version). */
export const SEGMENT_MAGIC = Buffer.from('ATRSPL1\n', 'latin1');
export const SEGMENT_HEADER_BYTES = SEGMENT_MAGIC.length;
/** A frame: u32 LE payload length, u32 LE CRC-32 of the payload, then the payload. */
export const FRAME_HEADER_BYTES = 8;
/** Largest payload a frame may carry; a length beyond it can only be damage. */
export const MAX_FRAME_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** One record's frame, ready to append. */
export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** A frame of a JSON text, encoded straight into the frame (one copy, not two). */
export function encodeTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.writeUInt32LE(length, 0);
  frame.write(text, FRAME_HEADER_BYTES, 'utf8');
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
}

export interface DecodedFrame {
  /** Offset of the frame (its header) in the file. */
  readonly offset: number;
  readonly payload: Buffer;
}

/** Why decoding stopped before the end of the bytes it was given. */
export type FrameProblem =
  /** The bytes end inside a frame: a write the crash cut short, or simply more to read. */
  | 'incomplete'
  /** A length of zero or beyond MAX_FRAME_PAYLOAD_BYTES, or a CRC that does not match. */
  | 'corrupt';

export interface DecodeResult {
  readonly frames: DecodedFrame[];
  /** Offset (in the file) just after the last good frame. */
  readonly end: number;
  readonly problem?: FrameProblem;
}

/**
 * Decodes the frames in `bytes`, which start at file offset `base`, until `maxFrames` or the
 * first frame that is incomplete or fails its checks. A zero length is refused (no record is
 * empty) so that a zero-filled tail, which some file systems leave after a crash, is caught
 * even though CRC-32 of nothing is 0.
 */
export function decodeFrames(bytes: Buffer, base: number, maxFrames = Number.POSITIVE_INFINITY): DecodeResult {
  const frames: DecodedFrame[] = [];
  let at = 0;
  while (frames.length < maxFrames) {
    if (at === bytes.length) return { frames, end: base + at };
    if (bytes.length - at < FRAME_HEADER_BYTES) return { frames, end: base + at, problem: 'incomplete' };
    const length = bytes.readUInt32LE(at);
    if (length === 0 || length > MAX_FRAME_PAYLOAD_BYTES) return { frames, end: base + at, problem: 'corrupt' };
    const start = at + FRAME_HEADER_BYTES;
    if (bytes.length - start < length) return { frames, end: base + at, problem: 'incomplete' };
    const payload = bytes.subarray(start, start + length);
    if (crc32(payload) !== bytes.readUInt32LE(at + 4)) return { frames, end: base + at, problem: 'corrupt' };
    frames.push({ offset: base + at, payload });
    at = start + length;
  }
  return { frames, end: base + at };
}

/** The bytes a frame header announces, read from the header at `at` (for reading in chunks). */
export function frameLengthAt(bytes: Buffer, at: number): number | undefined {
  return bytes.length - at >= FRAME_HEADER_BYTES ? FRAME_HEADER_BYTES + bytes.readUInt32LE(at) : undefined;
}

import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SEGMENT_HEADER_BYTES, SEGMENT_MAGIC } from './frame-codec.js';
import { syncDirectory } from './replay-offset.js';

const SEGMENT_RE = /^(\d{12})\.spool$/;

export function segmentPath(directory: string, seq: number): string {
  return join(directory, `${String(seq).padStart(12, '0')}.spool`);
}

/** Sequence numbers of the segments in a directory, oldest first. */
export async function listSegments(directory: string): Promise<number[]> {
  const names = await readdir(directory);
  return names
    .map((n) => SEGMENT_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Creates a segment holding only its header, durable (file and directory entry) when fsync. */
export async function createSegment(directory: string, seq: number, fsync: boolean): Promise<FileHandle> {
  const fh = await open(segmentPath(directory, seq), 'wx');
  try {
    await fh.write(SEGMENT_MAGIC);
    if (fsync) await fh.sync();
  } catch (err) {
    await fh.close();
    throw err;
  }
  if (fsync) await syncDirectory(directory);
  return fh;
}

/** Whether a segment starts with the format's magic (a short or foreign file does not). */
export async function hasSegmentHeader(fh: FileHandle): Promise<boolean> {
  const buf = Buffer.alloc(SEGMENT_HEADER_BYTES);
  const { bytesRead } = await fh.read(buf, 0, SEGMENT_HEADER_BYTES, 0);
  return bytesRead === SEGMENT_HEADER_BYTES && buf.equals(SEGMENT_MAGIC);
}

export async function removeSegment(directory: string, seq: number): Promise<void> {
  await rm(segmentPath(directory, seq), { force: true });
}

import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const OFFSET_FILE = 'replay.offset';

/** Where replay resumes: the next frame to send is at `offset` in segment `segment`. */
export interface SpoolPosition {
  readonly segment: number;
  readonly offset: number;
}

/**
 * Reads the persisted replay position: one line `<segment> <offset> <crc32 hex>`. A missing or
 * damaged file reads as undefined: replay then starts at the oldest segment, which may send
 * records again (the server keeps the first copy of an id), never skip any.
 */
export async function readReplayOffset(directory: string): Promise<SpoolPosition | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, OFFSET_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^(\d+) (\d+) ([0-9a-f]{8})\n$/.exec(text);
  if (!m) return undefined;
  const body = `${m[1]} ${m[2]}`;
  if (crc32(body).toString(16).padStart(8, '0') !== m[3]) return undefined;
  return { segment: Number(m[1]), offset: Number(m[2]) };
}

/**
 * Persists the replay position atomically: written to a temporary file, fsynced, renamed over
 * the old one, and the directory fsynced, so that a crash leaves the old position or the new one.
 */
export async function writeReplayOffset(directory: string, position: SpoolPosition, fsync: boolean): Promise<void> {
  const body = `${position.segment} ${position.offset}`;
  const tmp = join(directory, `${OFFSET_FILE}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(`${body} ${crc32(body).toString(16).padStart(8, '0')}\n`);
    if (fsync) await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(directory, OFFSET_FILE));
  if (fsync) await syncDirectory(directory);
}

/** Makes a directory's entries (created, renamed, removed files) durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const dh = await open(directory, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

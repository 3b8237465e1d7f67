import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { withChildren } from './read-queries.js';
import { decodeEvent, EVENT_SELECT, INTERACTION_SELECT } from './row-decode.js';
import type { SqlExecutor } from './sql-driver.js';

const PAGE = 1_000;

export interface DayArchive {
  readonly path: string;
  readonly sha256: string;
  readonly interactions: number;
  readonly events: number;
}

/**
 * Every record of one UTC day as auditrail records (the API's JSON, one per line: interactions
 * with their thoughts, tool calls and metrics, then events), paged through the day's partitions
 * by primary key (no sort of the partition).
 */
async function* dayRecords(db: SqlExecutor, day: string, counts: { interactions: number; events: number }): AsyncGenerator<string> {
  const from = `${day}T00:00:00Z`;
  const to = new Date(Date.parse(from) + 86_400_000).toISOString();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db.query(
      `SELECT ${INTERACTION_SELECT} FROM interactions i WHERE i.created_at >= $1::timestamptz AND i.created_at < $2::timestamptz AND i.interaction_id > $3::uuid ORDER BY i.interaction_id LIMIT ${PAGE}`,
      [from, to, after],
    );
    if (rows.length === 0) break;
    for (const r of await withChildren(db, rows)) {
      counts.interactions++;
      yield `${JSON.stringify(r)}\n`;
    }
    after = rows[rows.length - 1]!.interaction_id as string;
  }
  after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db.query(
      `SELECT ${EVENT_SELECT} FROM events e WHERE e.created_at >= $1::timestamptz AND e.created_at < $2::timestamptz AND e.event_id > $3::uuid ORDER BY e.event_id LIMIT ${PAGE}`,
      [from, to, after],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      counts.events++;
      yield `${JSON.stringify(decodeEvent(r))}\n`;
    }
    after = rows[rows.length - 1]!.event_id as string;
  }
}

/**
 * Writes the day's gzip JSONL archive at `path` (through a temporary file, fsynced, then renamed)
 * and its checksum file `path.sha256` (sha256sum format). Answers what it wrote.
 */
export async function writeDayArchive(db: SqlExecutor, day: string, path: string): Promise<DayArchive> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  const counts = { interactions: 0, events: 0 };
  const hash = createHash('sha256');
  try {
    const gzip = createGzip();
    gzip.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(Readable.from(dayRecords(db, day, counts)), gzip, createWriteStream(tmp));
    await fsyncFile(tmp);
    await rename(tmp, path);
    const sha256 = hash.digest('hex');
    await writeDurably(`${path}.sha256`, `${sha256}  ${basename(path)}\n`);
    await fsyncFile(dirname(path));
    return { path, sha256, ...counts };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** sha256 of a file, or undefined when it does not exist. */
export async function fileSha256(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    const fh = await open(path, 'r');
    try {
      for await (const chunk of fh.createReadStream()) hash.update(chunk as Buffer);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return hash.digest('hex');
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.partial`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

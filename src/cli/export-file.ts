import { createReadStream } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { encodeCursor } from '../core/query.js';

export type ExportFormat = 'jsonl' | 'csv';

export interface ResumePoint {
  /** Where the complete rows end (anything after is a torn tail, cut off before appending). */
  readonly endOffset: number;
  /** The cursor of the last complete row; undefined when the file has no row yet. */
  readonly cursor: string | undefined;
  /** Timestamp of the last complete row. */
  readonly timestamp: string | undefined;
  /** True when a JSONL export already ended with its export_end line. */
  readonly complete: boolean;
  /** Whether the CSV header is already there. */
  readonly hasHeader: boolean;
}

/** Finds where an interrupted export stopped, and cuts off its torn last row. */
export async function resumePoint(path: string, format: ExportFormat): Promise<ResumePoint> {
  const point = format === 'jsonl' ? await jsonlResume(path) : await csvResume(path);
  const size = (await stat(path)).size;
  if (point.endOffset < size) await truncate(path, point.endOffset);
  return point;
}

/** JSONL lines never contain a raw newline, so the last complete line is found reading backwards. */
async function jsonlResume(path: string): Promise<ResumePoint> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let end = size;
    let tail = Buffer.alloc(0);
    // the last '\n' ends the last complete line; the one before it starts it
    for (let pos = size; pos > 0 && countNewlines(tail) < 2; ) {
      const len = Math.min(64 * 1024, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      await fh.read(chunk, 0, len, pos);
      tail = Buffer.concat([chunk, tail]);
      if (pos === 0) break;
    }
    const text = tail.toString('utf8');
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) return { endOffset: 0, cursor: undefined, timestamp: undefined, complete: false, hasHeader: false };
    end = size - Buffer.byteLength(text.slice(lastNl + 1));
    const line = text.slice(text.lastIndexOf('\n', lastNl - 1) + 1, lastNl);
    const row = JSON.parse(line) as { kind?: string; timestamp?: string; eventId?: string; interactionId?: string };
    if (row.kind === 'export_end') return { endOffset: end, cursor: undefined, timestamp: undefined, complete: true, hasHeader: false };
    const id = row.eventId ?? row.interactionId;
    const cursor = row.timestamp && id ? encodeCursor({ t: row.timestamp, id }) : undefined;
    return { endOffset: end, cursor, timestamp: row.timestamp, complete: false, hasHeader: false };
  } finally {
    await fh.close();
  }
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (const c of b) if (c === 10) n++;
  return n;
}

/** CSV cells may hold newlines inside quotes: one forward pass tracks quoting; the cursor is each row's last cell. */
async function csvResume(path: string): Promise<ResumePoint> {
  const scanner = new CsvRowScanner();
  let offset = 0;
  let endOffset = 0;
  let rows = 0;
  let lastRow: string[] | undefined;
  for await (const chunk of createReadStream(path)) {
    const buf = chunk as Buffer;
    scanner.push(buf, offset, (row, rowEnd) => {
      rows++;
      endOffset = rowEnd;
      lastRow = row;
    });
    offset += buf.length;
  }
  const cursor = rows > 1 ? lastRow?.at(-1) : undefined;
  const timestamp = rows > 1 ? lastRow?.find((c) => /^\d{4}-\d\d-\d\dT/.test(c)) : undefined;
  return { endOffset, cursor, timestamp, complete: false, hasHeader: rows > 0 };
}

/** Splits CSV bytes into rows (RFC 4180 quoting), across chunk boundaries. */
export class CsvRowScanner {
  #inQuotes = false;
  #cell: number[] = [];
  #row: string[] = [];

  push(chunk: Buffer, chunkOffset: number, onRow: (cells: string[], endOffset: number) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 34) {
        this.#inQuotes = !this.#inQuotes;
        continue;
      }
      if (!this.#inQuotes && c === 44) {
        this.#row.push(Buffer.from(this.#cell).toString('utf8'));
        this.#cell = [];
        continue;
      }
      if (!this.#inQuotes && c === 10) {
        this.#row.push(Buffer.from(this.#cell).toString('utf8').replace(/\r$/, ''));
        onRow(this.#row, chunkOffset + i + 1);
        this.#row = [];
        this.#cell = [];
        continue;
      }
      // only the cursor (last cell) and the timestamp matter: keep cells short
      if (this.#cell.length < 1024) this.#cell.push(c);
    }
  }
}

/**
 * Passes the export through unchanged while counting rows for the progress bar; drops the CSV
 * header of a resumed export (the file has it) and holds back JSONL's end line count.
 */
export function countingTransform(format: ExportFormat, skipHeader: boolean, onRows: (n: number) => void): Transform {
  const scanner = new CsvRowScanner();
  let headerPending = format === 'csv';
  let droppingHeader = format === 'csv' && skipHeader;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (format === 'jsonl') {
        onRows(countNewlines(chunk));
        done(null, chunk);
        return;
      }
      let headerEnd = -1;
      let n = 0;
      scanner.push(chunk, 0, (_row, end) => {
        if (headerPending) {
          headerPending = false;
          headerEnd = end;
          return;
        }
        n++;
      });
      if (n) onRows(n);
      if (!droppingHeader) return done(null, chunk);
      if (headerEnd < 0) return done();
      droppingHeader = false;
      done(null, chunk.subarray(headerEnd));
    },
  });
}

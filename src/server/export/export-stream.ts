import { Readable } from 'node:stream';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { encodeCursor, type AuditQuery } from '../../core/query.js';
import type { TenantReader } from '../tenancy/tenant-reader.js';
import { csvHeader, csvRow, EVENT_COLUMNS, INTERACTION_COLUMNS } from './csv.js';

export type ExportFormat = 'jsonl' | 'csv';
export type ExportKind = 'interactions' | 'events';

export interface ExportOptions {
  readonly reader: TenantReader;
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  /** Filters, order and the start cursor; `limit` is replaced by pageSize. */
  readonly query: AuditQuery;
  readonly pageSize: number;
  /** Stop after this many rows (the end line then carries the cursor to continue). */
  readonly maxRows?: number;
}

/** The `kind` of the last JSONL line, which marks a complete export. */
export const EXPORT_END_KIND = 'export_end';

/**
 * The export as a byte stream in constant memory: one page of the storage at a time, fetched only
 * when the consumer has read the previous one (Readable.from pulls on demand, so a slow client
 * slows the database reads instead of filling memory). Resumable: every row's cursor is
 * encodeCursor({t: timestamp, id}) (CSV rows carry it in the `cursor` column); a JSONL export ends
 * with {"kind":"export_end","count":n,"nextCursor":...}.
 */
export function exportStream(o: ExportOptions): Readable {
  return Readable.from(lines(o), { objectMode: false, highWaterMark: 64 * 1024 });
}

async function* lines(o: ExportOptions): AsyncGenerator<string> {
  const columns = o.kind === 'events' ? EVENT_COLUMNS : INTERACTION_COLUMNS;
  if (o.format === 'csv') yield csvHeader(columns);
  let cursor = o.query.cursor;
  let count = 0;
  let nextCursor: string | null = null;
  for (;;) {
    const want = o.maxRows === undefined ? o.pageSize : Math.min(o.pageSize, o.maxRows - count);
    if (want <= 0) break;
    const q: AuditQuery = { ...o.query, limit: want, cursor, offset: undefined };
    const page = o.kind === 'events' ? await o.reader.queryEvents(q) : await o.reader.queryInteractions(q);
    let chunk = '';
    let last: string | undefined;
    for (const item of page.items as (AuditEvent | Interaction)[]) {
      last = encodeCursor({ t: item.timestamp, id: item.kind === 'event' ? item.eventId : item.interactionId });
      chunk += o.format === 'csv' ? csvRow(columns, { ...item, cursor: last }) : `${JSON.stringify(item)}\n`;
      count++;
    }
    if (chunk) yield chunk;
    if (page.nextCursor === null) {
      nextCursor = null;
      break;
    }
    cursor = page.nextCursor;
    nextCursor = last ?? page.nextCursor;
    if (o.maxRows !== undefined && count >= o.maxRows) break;
  }
  if (o.format === 'jsonl') yield `${JSON.stringify({ kind: EXPORT_END_KIND, count, nextCursor })}\n`;
}

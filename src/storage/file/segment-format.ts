import { AuditrailError } from '../../core/errors.js';
import { normalizeRecord } from '../../core/normalize.js';
import type { AuditRecord } from '../../core/record.js';

/**
 * The on-disk format. A segment is a JSONL file `segment-0000000001.jsonl`: one stored record per
 * line (the record as JSON, greppable), and after the records of each batch one commit marker line
 * `{"$commit":<batch number>,"n":<records in the batch>}`. A batch counts only once its marker is
 * on disk; recovery cuts off whatever follows the last marker.
 */

const SEGMENT_RE = /^segment-(\d{10})\.jsonl$/;
const COMMIT_RE = /^\{"\$commit":(\d+),"n":(\d+)\}$/;

export function segmentName(seq: number): string {
  return `segment-${String(seq).padStart(10, '0')}.jsonl`;
}

/** The sequence number of a segment file name, or undefined for any other file. */
export function segmentSeq(fileName: string): number | undefined {
  const m = SEGMENT_RE.exec(fileName);
  return m ? Number(m[1]) : undefined;
}

export function commitLine(batch: number, count: number): string {
  return `{"$commit":${batch},"n":${count}}\n`;
}

export function parseCommit(text: string): { batch: number; count: number } | undefined {
  if (!text.startsWith('{"$commit":')) return undefined;
  const m = COMMIT_RE.exec(text);
  return m ? { batch: Number(m[1]), count: Number(m[2]) } : undefined;
}

export function isCommitLine(text: string): boolean {
  return text.startsWith('{"$commit":');
}

/** The stored line of a record: normalized (UTC ms timestamps), one line, newline-terminated. */
export function recordLine(record: AuditRecord): string {
  // JSON.stringify escapes every newline inside strings, so a record is always exactly one line.
  return `${JSON.stringify(normalizeRecord(record))}\n`;
}

/**
 * The kind of a record line from its prefix, without parsing it (lines written here start with
 * `{"kind":`); undefined when the prefix does not tell, and the line must be parsed.
 */
export function lineKind(text: string): AuditRecord['kind'] | undefined {
  if (text.startsWith('{"kind":"event"')) return 'event';
  if (text.startsWith('{"kind":"interaction"')) return 'interaction';
  return undefined;
}

/** Parses a committed record line; anything that is not a stored record is STORAGE_CORRUPT. */
export function parseRecordLine(text: string, file: string, lineNo: number): AuditRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw corrupt(file, lineNo, 'not valid JSON', err);
  }
  if (!isStoredRecord(value)) throw corrupt(file, lineNo, 'not an audit record');
  return value;
}

export function corrupt(file: string, lineNo: number, what: string, cause?: unknown): AuditrailError {
  return new AuditrailError('STORAGE_CORRUPT', `${file} line ${lineNo}: ${what}`, cause === undefined ? {} : { cause });
}

function isStoredRecord(v: unknown): v is AuditRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (typeof r.timestamp !== 'string' || typeof r.orgId !== 'string' || typeof r.sessionId !== 'string') return false;
  if (r.kind === 'event') return typeof r.eventId === 'string' && typeof r.eventType === 'string';
  if (r.kind === 'interaction') return typeof r.interactionId === 'string' && Array.isArray(r.toolCalls) && Array.isArray(r.thoughts) && Array.isArray(r.metrics);
  return false;
}

export function storedId(r: AuditRecord): string {
  return r.kind === 'event' ? r.eventId : r.interactionId;
}

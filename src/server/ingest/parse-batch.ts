import { AuditrailError, errorMessage } from '../../core/errors.js';

export type BatchFormat = 'json' | 'ndjson';

/**
 * Body text to the list of raw records: a JSON array, `{"records": [...]}`, or NDJSON (one record
 * per line; blank lines ignored). Counts are checked before the bulk of the parsing where the
 * format allows (NDJSON lines), so an oversized batch costs little.
 */
export function parseBatch(text: string, format: BatchFormat, maxRecords: number): unknown[] {
  return format === 'ndjson' ? parseNdjson(text, maxRecords) : parseJson(text, maxRecords);
}

function parseJson(text: string, maxRecords: number): unknown[] {
  if (text.trim() === '') throw new AuditrailError('BODY_MALFORMED', 'the body is empty; send a JSON array of records');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AuditrailError('BODY_MALFORMED', `invalid JSON: ${errorMessage(err)}`);
  }
  const records = Array.isArray(value) ? value : isRecordsEnvelope(value) ? value.records : undefined;
  if (records === undefined) throw new AuditrailError('BODY_MALFORMED', 'expected a JSON array of records or an object {"records": [...]}');
  if (records.length > maxRecords) throw tooMany(records.length, maxRecords);
  return records;
}

function isRecordsEnvelope(v: unknown): v is { records: unknown[] } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray((v as { records?: unknown }).records) && Object.keys(v).length === 1;
}

function parseNdjson(text: string, maxRecords: number): unknown[] {
  const lines = text.split('\n');
  let count = 0;
  for (const line of lines) if (line.trim() !== '') count++;
  if (count === 0) throw new AuditrailError('BODY_MALFORMED', 'the body has no records; send one JSON record per line');
  if (count > maxRecords) throw tooMany(count, maxRecords);
  const out: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch (err) {
      throw new AuditrailError('BODY_MALFORMED', `line ${i + 1}: invalid JSON: ${errorMessage(err)}`);
    }
  }
  return out;
}

function tooMany(n: number, max: number): AuditrailError {
  return new AuditrailError('BATCH_TOO_LARGE', `${n} records in one request; at most ${max} (limits.max_batch_records)`);
}

import type { AuditRecord } from './record.js';

/**
 * Brings a validated record to its stored form: timestamps in UTC with milliseconds, so that
 * every backend returns the same text for the same instant. Returns a new object.
 */
export function normalizeRecord(record: AuditRecord): AuditRecord {
  const timestamp = utc(record.timestamp);
  if (record.kind === 'event') return { ...record, timestamp };
  return {
    ...record,
    timestamp,
    thoughts: record.thoughts.map((t) => (t.timestamp ? { ...t, timestamp: utc(t.timestamp) } : t)),
    toolCalls: record.toolCalls.map((c) => (c.startedAt ? { ...c, startedAt: utc(c.startedAt) } : c)),
  };
}

function utc(ts: string): string {
  return new Date(ts).toISOString();
}

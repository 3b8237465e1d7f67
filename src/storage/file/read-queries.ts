import { computeAnalytics, type AnalyticsQuery, type AnalyticsRow } from '../../core/analytics.js';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { decodeCursor, type AuditQuery, type CursorPosition, type Page } from '../../core/query.js';
import {
  eventKey,
  interactionKey,
  matchesEvent,
  matchesInteraction,
  matchesSession,
  paginate,
  sessionKey,
  summarizeSessions,
} from '../../core/query-match.js';
import type { SessionSummary } from '../../core/storage.js';
import { BestOf } from './best-of.js';
import { scanRecords, type ScanFilter, type SegmentSnapshot } from './scan-records.js';

/**
 * Reads over segment snapshots with core's reference semantics (query-match.ts, analytics.ts).
 * Memory is bounded by the answer: a page keeps only its best offset + limit + 1 candidates;
 * counts keep a number; sessions and analytics keep a small projection per interaction.
 */

type Key = { t: string; id: string };

function compareKeys(a: Key, b: Key): number {
  const d = Date.parse(a.t) - Date.parse(b.t);
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function scanFilter(q: { orgId?: string | undefined; from?: string | undefined; to?: string | undefined }): ScanFilter {
  return {
    orgId: q.orgId,
    ...(q.from === undefined ? {} : { fromMs: Date.parse(q.from) }),
    ...(q.to === undefined ? {} : { toMs: Date.parse(q.to) }),
  };
}

async function pageOf<T extends AuditEvent | Interaction>(
  segments: readonly SegmentSnapshot[],
  kind: T['kind'],
  q: AuditQuery,
  matches: (r: T) => boolean,
  key: (r: T) => Key,
): Promise<Page<T>> {
  const dir = q.order === 'asc' ? 1 : -1;
  // Decoded before any I/O, so that a forged cursor is refused even on an empty store.
  const after: CursorPosition | undefined = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const best = new BestOf<T>((q.offset ?? 0) + q.limit + 1, (a, b) => dir * compareKeys(key(a), key(b)));
  await scanRecords(segments, kind, scanFilter(q), (r) => {
    const rec = r as T;
    if (!matches(rec)) return;
    if (after !== undefined && dir * compareKeys(key(rec), after) <= 0) return;
    best.push(rec);
  });
  return paginate(best.result(), q, key);
}

export function queryEventPage(segments: readonly SegmentSnapshot[], q: AuditQuery): Promise<Page<AuditEvent>> {
  return pageOf<AuditEvent>(segments, 'event', q, (e) => matchesEvent(e, q), eventKey);
}

export function queryInteractionPage(segments: readonly SegmentSnapshot[], q: AuditQuery): Promise<Page<Interaction>> {
  return pageOf<Interaction>(segments, 'interaction', q, (i) => matchesInteraction(i, q), interactionKey);
}

export async function countEvents(segments: readonly SegmentSnapshot[], q: AuditQuery): Promise<number> {
  let n = 0;
  await scanRecords(segments, 'event', scanFilter(q), (e) => {
    if (matchesEvent(e, q)) n++;
  });
  return n;
}

export async function countInteractions(segments: readonly SegmentSnapshot[], q: AuditQuery): Promise<number> {
  let n = 0;
  await scanRecords(segments, 'interaction', scanFilter(q), (i) => {
    if (matchesInteraction(i, q)) n++;
  });
  return n;
}

export async function querySessionPage(segments: readonly SegmentSnapshot[], q: AuditQuery): Promise<Page<SessionSummary>> {
  if (q.cursor !== undefined) decodeCursor(q.cursor);
  const slim: Interaction[] = [];
  // Every interaction of the org counts (a session's first interaction may be outside from/to).
  await scanRecords(segments, 'interaction', { orgId: q.orgId }, (i) => {
    if (q.orgId === undefined || i.orgId === q.orgId) slim.push(project(i));
  });
  return paginate(summarizeSessions(slim).filter((s) => matchesSession(s, q)), q, sessionKey);
}

export async function analyticsRows(segments: readonly SegmentSnapshot[], q: AnalyticsQuery): Promise<AnalyticsRow[]> {
  const slim: Interaction[] = [];
  await scanRecords(segments, 'interaction', scanFilter(q), (i) => slim.push(project(i)));
  return computeAnalytics(slim, q);
}

/** An interaction without its text and payloads: what sessions and analytics read. */
function project(i: Interaction): Interaction {
  return {
    ...i,
    question: '',
    finalAnswer: null,
    errorMessage: null,
    baseUrl: null,
    thoughts: [],
    metrics: [],
    metadata: {},
    toolCalls: i.toolCalls.map((c) => ({ sequence: c.sequence, name: c.name, input: null, status: c.status, durationMs: c.durationMs ?? null })),
  };
}

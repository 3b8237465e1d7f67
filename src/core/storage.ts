import type { AnalyticsQuery, AnalyticsRow } from './analytics.js';
import type { AuditEvent } from './audit-event.js';
import type { Interaction } from './interaction.js';
import type { AuditQuery, Page } from './query.js';
import type { AuditRecord } from './record.js';

export type AppendStatus = 'accepted' | 'duplicate';

export interface AppendOutcome {
  readonly id: string;
  readonly status: AppendStatus;
}

export interface AppendResult {
  /** One outcome per input record, in input order. */
  readonly results: readonly AppendOutcome[];
  readonly accepted: number;
  readonly duplicates: number;
}

/** A session as seen from its interactions (seed-002 `sessions`). */
export interface SessionSummary {
  readonly orgId: string;
  readonly sessionId: string;
  readonly userId: string | null;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  /** Timestamp of its first interaction. */
  readonly firstSeen: string;
  /** Timestamp of its latest interaction. */
  readonly lastSeen: string;
  readonly interactionCount: number;
}

/**
 * The storage seam. Every backend (memory, files, PostgreSQL, PGlite) implements it and passes the
 * shared contract suite in src/storage/contract.
 *
 * - `append` is atomic per call (all records stored, or none and it rejects with a retryable
 *   AUDITRAIL_ERR_STORAGE_UNAVAILABLE) and idempotent on the record id: a record whose id is
 *   already stored (or repeated within the batch) is reported `duplicate` and not stored again.
 *   When it resolves, the records are durable to the backend's stated degree.
 * - Reads take a query already validated by `parseQuery`. Returned timestamps are UTC ISO 8601
 *   with milliseconds. Order is (timestamp, id), descending unless `order: 'asc'`.
 * - Reads never return records of another org when `orgId` is set.
 */
export interface Storage {
  readonly name: string;
  append(records: readonly AuditRecord[]): Promise<AppendResult>;
  queryEvents(query: AuditQuery): Promise<Page<AuditEvent>>;
  countEvents(query: AuditQuery): Promise<number>;
  queryInteractions(query: AuditQuery): Promise<Page<Interaction>>;
  countInteractions(query: AuditQuery): Promise<number>;
  getEvent(eventId: string, orgId?: string): Promise<AuditEvent | undefined>;
  getInteraction(interactionId: string, orgId?: string): Promise<Interaction | undefined>;
  /** Sessions ordered by firstSeen; filters used: orgId, userId, sessionId, from/to (on firstSeen), limit/cursor/offset/order. */
  querySessions(query: AuditQuery): Promise<Page<SessionSummary>>;
  /** Volume, errors, latency percentiles and tokens per bucket and group (see analytics.ts). */
  analytics(query: AnalyticsQuery): Promise<AnalyticsRow[]>;
  close(): Promise<void>;
}

export function appendResult(results: AppendOutcome[]): AppendResult {
  let accepted = 0;
  for (const r of results) if (r.status === 'accepted') accepted++;
  return { results, accepted, duplicates: results.length - accepted };
}

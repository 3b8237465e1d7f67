import { computeAnalytics, type AnalyticsQuery, type AnalyticsRow } from './analytics.js';
import type { AuditEvent } from './audit-event.js';
import { AuditrailError } from './errors.js';
import type { Interaction } from './interaction.js';
import { normalizeRecord } from './normalize.js';
import type { AuditQuery, Page } from './query.js';
import {
  eventKey,
  interactionKey,
  matchesEvent,
  matchesInteraction,
  matchesSession,
  paginate,
  sessionKey,
  summarizeSessions,
} from './query-match.js';
import { recordId, type AuditRecord } from './record.js';
import { appendResult, type AppendOutcome, type AppendResult, type SessionSummary, type Storage } from './storage.js';

/**
 * The reference storage: everything in process memory. Public as a test double and for
 * short-lived agents that read their own trail back. Records are copied in and out, so neither
 * the caller nor a reader can change what is stored.
 */
export class MemoryStorage implements Storage {
  readonly name = 'memory';
  readonly #events = new Map<string, AuditEvent>();
  readonly #interactions = new Map<string, Interaction>();
  #closed = false;

  append(records: readonly AuditRecord[]): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    const results: AppendOutcome[] = [];
    for (const record of records) {
      const id = recordId(record);
      const stored = this.#events.has(id) || this.#interactions.has(id);
      results.push({ id, status: stored ? 'duplicate' : 'accepted' });
      if (stored) continue;
      const copy = structuredClone(normalizeRecord(record));
      if (copy.kind === 'event') this.#events.set(id, copy);
      else this.#interactions.set(id, copy);
    }
    return Promise.resolve(appendResult(results));
  }

  queryEvents(query: AuditQuery): Promise<Page<AuditEvent>> {
    return this.#read(() => {
      const page = paginate([...this.#events.values()].filter((e) => matchesEvent(e, query)), query, eventKey);
      return { items: structuredClone(page.items), nextCursor: page.nextCursor };
    });
  }

  countEvents(query: AuditQuery): Promise<number> {
    return this.#read(() => count(this.#events.values(), (e) => matchesEvent(e, query)));
  }

  queryInteractions(query: AuditQuery): Promise<Page<Interaction>> {
    return this.#read(() => {
      const page = paginate([...this.#interactions.values()].filter((i) => matchesInteraction(i, query)), query, interactionKey);
      return { items: structuredClone(page.items), nextCursor: page.nextCursor };
    });
  }

  countInteractions(query: AuditQuery): Promise<number> {
    return this.#read(() => count(this.#interactions.values(), (i) => matchesInteraction(i, query)));
  }

  getEvent(eventId: string, orgId?: string): Promise<AuditEvent | undefined> {
    return this.#read(() => {
      const e = this.#events.get(eventId);
      return e && (orgId === undefined || e.orgId === orgId) ? structuredClone(e) : undefined;
    });
  }

  getInteraction(interactionId: string, orgId?: string): Promise<Interaction | undefined> {
    return this.#read(() => {
      const i = this.#interactions.get(interactionId);
      return i && (orgId === undefined || i.orgId === orgId) ? structuredClone(i) : undefined;
    });
  }

  querySessions(query: AuditQuery): Promise<Page<SessionSummary>> {
    return this.#read(() => {
      const inOrg = [...this.#interactions.values()].filter((i) => query.orgId === undefined || i.orgId === query.orgId);
      return paginate(summarizeSessions(inOrg).filter((s) => matchesSession(s, query)), query, sessionKey);
    });
  }

  analytics(query: AnalyticsQuery): Promise<AnalyticsRow[]> {
    return this.#read(() => computeAnalytics(this.#interactions.values(), query));
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #read<T>(fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

function count<T>(items: Iterable<T>, pred: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (pred(item)) n++;
  return n;
}

export function createMemoryStorage(): MemoryStorage {
  return new MemoryStorage();
}

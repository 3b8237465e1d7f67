import type { AuditEvent } from './audit-event.js';
import type { Interaction } from './interaction.js';
import { decodeCursor, encodeCursor, type AuditQuery, type Page } from './query.js';
import type { SessionSummary } from './storage.js';

/**
 * Query evaluation over records held in memory: the reference semantics of the query model,
 * shared by the memory and file storages (SQL backends implement the same in SQL and are held to
 * it by the contract suite).
 */

export function matchesEvent(e: AuditEvent, q: AuditQuery): boolean {
  return (
    common(e, q) &&
    (q.agentId === undefined || e.agentId === q.agentId) &&
    (q.interactionId === undefined || e.interactionId === q.interactionId) &&
    (q.actionId === undefined || e.actionId === q.actionId) &&
    (q.eventTypes === undefined || q.eventTypes.includes(e.eventType)) &&
    (q.success === undefined || e.success === q.success) &&
    (q.actionName === undefined || e.actionName === q.actionName)
  );
}

export function matchesInteraction(i: Interaction, q: AuditQuery): boolean {
  return (
    common(i, q) &&
    (q.agentId === undefined || i.agentId === q.agentId) &&
    (q.interactionId === undefined || i.interactionId === q.interactionId) &&
    (q.model === undefined || i.model === q.model) &&
    (q.status === undefined || i.status === q.status) &&
    (q.provider === undefined || i.provider === q.provider) &&
    (q.cluster === undefined || i.cluster === q.cluster) &&
    (q.actionName === undefined || i.toolCalls.some((t) => t.name === q.actionName)) &&
    (q.search === undefined || matchesSearch(i, q.search))
  );
}

function common(r: { orgId: string; userId?: string | null; sessionId: string; timestamp: string }, q: AuditQuery): boolean {
  if (q.orgId !== undefined && r.orgId !== q.orgId) return false;
  if (q.userId !== undefined && r.userId !== q.userId) return false;
  if (q.sessionId !== undefined && r.sessionId !== q.sessionId) return false;
  if (q.from !== undefined || q.to !== undefined) {
    const t = Date.parse(r.timestamp);
    if (q.from !== undefined && t < Date.parse(q.from)) return false;
    if (q.to !== undefined && t >= Date.parse(q.to)) return false;
  }
  return true;
}

/** Every whitespace-separated term must occur (case-insensitively) in the question or the answer. */
export function matchesSearch(i: Interaction, search: string): boolean {
  const hay = `${i.question}\n${i.finalAnswer ?? ''}`.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => hay.includes(term));
}

/** Orders by (timestamp, id) and cuts one page, by cursor or offset. */
export function paginate<T>(items: T[], q: AuditQuery, key: (item: T) => { t: string; id: string }): Page<T> {
  const dir = q.order === 'asc' ? 1 : -1;
  const cmp = (a: { t: string; id: string }, b: { t: string; id: string }): number => {
    const d = Date.parse(a.t) - Date.parse(b.t);
    if (d !== 0) return d;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  let rows = items.slice().sort((a, b) => dir * cmp(key(a), key(b)));
  if (q.cursor !== undefined) {
    const pos = decodeCursor(q.cursor);
    rows = rows.filter((r) => dir * cmp(key(r), pos) > 0);
  } else if (q.offset !== undefined) {
    rows = rows.slice(q.offset);
  }
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const more = rows.length > q.limit && last !== undefined;
  return { items: page, nextCursor: more ? encodeCursor(key(last)) : null };
}

export const eventKey = (e: AuditEvent) => ({ t: e.timestamp, id: e.eventId });
export const interactionKey = (i: Interaction) => ({ t: i.timestamp, id: i.interactionId });
export const sessionKey = (s: SessionSummary) => ({ t: s.firstSeen, id: s.sessionId });

/** Folds interactions into session summaries (per org and session id). */
export function summarizeSessions(interactions: Iterable<Interaction>): SessionSummary[] {
  const byKey = new Map<string, SessionSummary>();
  for (const i of interactions) {
    const k = `${i.orgId}\u0000${i.sessionId}`;
    const s = byKey.get(k);
    if (s === undefined) {
      byKey.set(k, {
        orgId: i.orgId,
        sessionId: i.sessionId,
        userId: i.userId ?? null,
        clientIp: i.clientIp ?? null,
        userAgent: i.userAgent ?? null,
        firstSeen: i.timestamp,
        lastSeen: i.timestamp,
        interactionCount: 1,
      });
      continue;
    }
    const earlier = Date.parse(i.timestamp) < Date.parse(s.firstSeen);
    byKey.set(k, {
      ...s,
      userId: s.userId ?? i.userId ?? null,
      clientIp: earlier ? (i.clientIp ?? s.clientIp) : (s.clientIp ?? i.clientIp ?? null),
      userAgent: earlier ? (i.userAgent ?? s.userAgent) : (s.userAgent ?? i.userAgent ?? null),
      firstSeen: earlier ? i.timestamp : s.firstSeen,
      lastSeen: Date.parse(i.timestamp) > Date.parse(s.lastSeen) ? i.timestamp : s.lastSeen,
      interactionCount: s.interactionCount + 1,
    });
  }
  return [...byKey.values()];
}

export function matchesSession(s: SessionSummary, q: AuditQuery): boolean {
  if (q.orgId !== undefined && s.orgId !== q.orgId) return false;
  if (q.userId !== undefined && s.userId !== q.userId) return false;
  if (q.sessionId !== undefined && s.sessionId !== q.sessionId) return false;
  const t = Date.parse(s.firstSeen);
  if (q.from !== undefined && t < Date.parse(q.from)) return false;
  if (q.to !== undefined && t >= Date.parse(q.to)) return false;
  return true;
}

import type { ApiClient } from '../api/client.js';
import type { AuditEvent, EventQuery } from '../api/types.js';

export const PENDING_SCAN_LIMIT = 500;

/**
 * Approval requests with no decision (granted/denied) and no rejection yet, among the latest
 * PENDING_SCAN_LIMIT requests of the query's range. Decisions are looked up from the same start
 * with no end, since a decision may come after the range.
 */
export async function loadPendingApprovals(client: ApiClient, q: EventQuery, signal: AbortSignal): Promise<{ pending: AuditEvent[]; scanned: number }> {
  const base = { ...q, cursor: undefined, order: 'desc' as const };
  const requests = await client.events({ ...base, eventTypes: 'approval_requested', limit: PENDING_SCAN_LIMIT }, signal);
  if (requests.items.length === 0) return { pending: [], scanned: 0 };
  const decided = new Set<string>();
  let cursor: string | undefined;
  const from = requests.items.reduce((m, e) => (e.timestamp < m ? e.timestamp : m), requests.items[0]!.timestamp);
  for (let pages = 0; pages < 10; pages++) {
    const page = await client.events(
      { eventTypes: 'approval_granted,approval_denied,action_rejected', from, order: 'asc', limit: 1000, cursor, agentId: q.agentId, userId: q.userId, sessionId: q.sessionId },
      signal,
    );
    for (const e of page.items) decided.add(e.actionId);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { pending: requests.items.filter((e) => !decided.has(e.actionId)), scanned: requests.items.length };
}

import type { AuditEvent } from '../../core/audit-event.js';
import { isUuid } from '../../core/ids.js';
import type { Interaction, Metric, Thought, ToolCall } from '../../core/interaction.js';
import { decodeCursor, encodeCursor, type AuditQuery, type Page } from '../../core/query.js';
import type { SessionSummary } from '../../core/storage.js';
import { Params } from './params.js';
import { eventConditions, interactionConditions, keysetCondition, orderBy, uuidCursor, where } from './query-filters.js';
import { decodeEvent, decodeInteraction, decodeMetric, decodeThought, decodeToolCall, EVENT_SELECT, INTERACTION_SELECT, isoTime } from './row-decode.js';
import { searchInteractions } from './search-page.js';
import { searchCandidateCondition, searchExactConditions, searchPatterns, searchTerms } from './search-sql.js';
import type { SqlExecutor, SqlRow } from './sql-driver.js';
import { decodeNullableText, decodeText, encodeText } from './text-codec.js';

/** Reads of the query model in SQL; the semantics are core's query-match.ts, held by the contract suite. */

function limitOffset(q: AuditQuery, p: Params): string {
  return `LIMIT ${p.add(q.limit + 1)}${q.offset !== undefined ? ` OFFSET ${p.add(q.offset)}` : ''}`;
}

function page<T>(rows: T[], limit: number, key: (item: T) => { t: string; id: string }): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(key(items[items.length - 1]!)) };
}

export async function queryEvents(db: SqlExecutor, q: AuditQuery): Promise<Page<AuditEvent>> {
  const p = new Params();
  const w = eventConditions(q, p);
  if (q.cursor !== undefined) w.push(keysetCondition('e.created_at', 'e.event_id', uuidCursor(q.cursor), q.order, p));
  const rows = await db.query(`SELECT ${EVENT_SELECT} FROM events e ${where(w)} ${orderBy('e.created_at', 'e.event_id', q.order)} ${limitOffset(q, p)}`, p.values, { plan: 'generic' });
  return page(rows.map(decodeEvent), q.limit, (e) => ({ t: e.timestamp, id: e.eventId }));
}

export async function countEvents(db: SqlExecutor, q: AuditQuery): Promise<number> {
  const p = new Params();
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM events e ${where(eventConditions(q, p))}`, p.values, { plan: 'generic' });
  return Number(rows[0]?.n ?? 0);
}

/** Where a record id is stored (its partition's day), or undefined: one primary-key lookup. */
async function locate(db: SqlExecutor, id: string, kind: 'i' | 'e'): Promise<Date | string | undefined> {
  const rows = await db.query<{ created_at: Date | string }>('SELECT created_at FROM record_ids WHERE id = $1::uuid AND kind = $2', [id, kind], { plan: 'generic' });
  return rows[0]?.created_at;
}

export async function getEvent(db: SqlExecutor, eventId: string, orgId?: string): Promise<AuditEvent | undefined> {
  if (!isUuid(eventId)) return undefined;
  const at = await locate(db, eventId, 'e');
  if (at === undefined) return undefined;
  const p = new Params();
  const w = [`e.event_id = ${p.add(eventId)}::uuid`, `e.created_at = ${p.add(at)}::timestamptz`];
  if (orgId !== undefined) w.push(`e.org_id = ${p.add(encodeText(orgId))}`);
  const rows = await db.query(`SELECT ${EVENT_SELECT} FROM events e ${where(w)}`, p.values, { plan: 'generic' });
  return rows[0] ? decodeEvent(rows[0]) : undefined;
}

/** Interaction conditions including search: exact terms, plus index candidates when a term can use the index. */
export function interactionWhere(q: AuditQuery, p: Params): string[] {
  const w = interactionConditions(q, p);
  if (q.search !== undefined) {
    const terms = searchTerms(q.search);
    w.push(...searchExactConditions(terms, p));
    const patterns = searchPatterns(terms);
    if (patterns.length > 0) w.push(searchCandidateCondition(q, patterns, p));
  }
  return w;
}

export async function queryInteractions(db: SqlExecutor, q: AuditQuery): Promise<Page<Interaction>> {
  if (q.search !== undefined) return searchInteractions(db, q);
  const p = new Params();
  const w = interactionConditions(q, p);
  if (q.cursor !== undefined) w.push(keysetCondition('i.created_at', 'i.interaction_id', uuidCursor(q.cursor), q.order, p));
  const rows = await db.query(
    `SELECT ${INTERACTION_SELECT} FROM interactions i ${where(w)} ${orderBy('i.created_at', 'i.interaction_id', q.order)} ${limitOffset(q, p)}`,
    p.values,
    { plan: 'generic' },
  );
  return interactionPage(db, rows, q.limit);
}

/** The first `limit` rows with their children, and a cursor when there were more. */
export async function interactionPage(db: SqlExecutor, rows: readonly SqlRow[], limit: number): Promise<Page<Interaction>> {
  const items = await withChildren(db, rows.slice(0, limit));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ t: last.timestamp, id: last.interactionId }) : null };
}

export async function countInteractions(db: SqlExecutor, q: AuditQuery): Promise<number> {
  const p = new Params();
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM interactions i ${where(interactionWhere(q, p))}`, p.values, { plan: 'generic' });
  return Number(rows[0]?.n ?? 0);
}

export async function getInteraction(db: SqlExecutor, interactionId: string, orgId?: string): Promise<Interaction | undefined> {
  if (!isUuid(interactionId)) return undefined;
  const at = await locate(db, interactionId, 'i');
  if (at === undefined) return undefined;
  const p = new Params();
  const w = [`i.interaction_id = ${p.add(interactionId)}::uuid`, `i.created_at = ${p.add(at)}::timestamptz`];
  if (orgId !== undefined) w.push(`i.org_id = ${p.add(encodeText(orgId))}`);
  const rows = await db.query(`SELECT ${INTERACTION_SELECT} FROM interactions i ${where(w)}`, p.values, { plan: 'generic' });
  if (!rows[0]) return undefined;
  return (await withChildren(db, rows))[0];
}

/** Loads thoughts, tool calls and metrics of interaction rows (one query per child table, pruned to their days). */
export async function withChildren(db: SqlExecutor, rows: readonly SqlRow[]): Promise<Interaction[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.interaction_id as string);
  const ats = rows.map((r) => (r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at)));
  // Each interaction's children by primary key in its own partition (run-time pruning per row),
  // whether the page spans one day or thirty.
  const children = (columns: string, table: string) =>
    db.query(
      `SELECT x.* FROM unnest($1::uuid[], $2::timestamptz[]) AS c(id, at)
       CROSS JOIN LATERAL (SELECT ${columns} FROM ${table} t WHERE t.interaction_id = c.id AND t.created_at = c.at ORDER BY t.ordinal) x`,
      [ids, ats],
      { plan: 'generic' },
    );
  // Three independent reads: on PostgreSQL they run at once on three pooled connections.
  const [thoughts, calls, metrics] = await Promise.all([
    children('t.interaction_id, t.sequence_number, t.thought, t.thought_at, t.null_mask', 'thoughts'),
    children(
      't.interaction_id, t.sequence_number, t.tool_name, t.tool_input, t.tool_observation, t.duration_ms, t.started_at, t.status, t.error_message, t.action_id, t.null_mask',
      'tool_calls',
    ),
    children('t.interaction_id, t.metric_name, t.duration_ms', 'performance_metrics'),
  ]);
  const group = <T>(list: SqlRow[], decode: (r: SqlRow) => T): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of list) {
      const id = r.interaction_id as string;
      let arr = m.get(id);
      if (!arr) m.set(id, (arr = []));
      arr.push(decode(r));
    }
    return m;
  };
  const t = group<Thought>(thoughts, decodeThought);
  const c = group<ToolCall>(calls, decodeToolCall);
  const mm = group<Metric>(metrics, decodeMetric);
  return rows.map((r) => {
    const id = r.interaction_id as string;
    return decodeInteraction(r, t.get(id) ?? [], c.get(id) ?? [], mm.get(id) ?? []);
  });
}

export async function querySessions(db: SqlExecutor, q: AuditQuery): Promise<Page<SessionSummary>> {
  const p = new Params();
  const w: string[] = [];
  if (q.orgId !== undefined) w.push(`s.org_id = ${p.add(encodeText(q.orgId))}`);
  if (q.userId !== undefined) w.push(`s.user_id = ${p.add(encodeText(q.userId))}`);
  if (q.sessionId !== undefined) w.push(`s.session_id = ${p.add(encodeText(q.sessionId))}`);
  if (q.from !== undefined) w.push(`s.first_seen >= ${p.add(q.from)}::timestamptz`);
  if (q.to !== undefined) w.push(`s.first_seen < ${p.add(q.to)}::timestamptz`);
  if (q.cursor !== undefined) {
    const pos = decodeCursor(q.cursor);
    w.push(keysetCondition('s.first_seen', 's.session_id', { t: pos.t, id: encodeText(pos.id) }, q.order, p, '::text'));
  }
  const rows = await db.query(
    `SELECT s.org_id, s.session_id, s.user_id, s.client_ip, s.user_agent, s.first_seen, s.last_seen, s.interaction_count
     FROM sessions s ${where(w)} ${orderBy('s.first_seen', 's.session_id', q.order)} ${limitOffset(q, p)}`,
    p.values,
    { plan: 'generic' },
  );
  const items = rows.map(
    (r): SessionSummary => ({
      orgId: decodeText(r.org_id as string),
      sessionId: decodeText(r.session_id as string),
      userId: decodeNullableText(r.user_id),
      clientIp: decodeNullableText(r.client_ip),
      userAgent: decodeNullableText(r.user_agent),
      firstSeen: isoTime(r.first_seen),
      lastSeen: isoTime(r.last_seen),
      interactionCount: Number(r.interaction_count),
    }),
  );
  return page(items, q.limit, (s) => ({ t: s.firstSeen, id: s.sessionId }));
}

import { isUuid } from '../../core/ids.js';
import { AuditrailError } from '../../core/errors.js';
import { decodeCursor, type AuditQuery } from '../../core/query.js';
import type { Params } from './params.js';
import { encodeText } from './text-codec.js';

/** SQL conditions shared by events and interactions (alias `a`). */
function common(q: AuditQuery, p: Params, a: string): string[] {
  const w: string[] = [];
  if (q.orgId !== undefined) w.push(`${a}.org_id = ${p.add(encodeText(q.orgId))}`);
  if (q.userId !== undefined) w.push(`${a}.user_id = ${p.add(encodeText(q.userId))}`);
  if (q.sessionId !== undefined) w.push(`${a}.session_id = ${p.add(encodeText(q.sessionId))}`);
  if (q.agentId !== undefined) w.push(`${a}.agent_id = ${p.add(encodeText(q.agentId))}`);
  if (q.from !== undefined) w.push(`${a}.created_at >= ${p.add(q.from)}::timestamptz`);
  if (q.to !== undefined) w.push(`${a}.created_at < ${p.add(q.to)}::timestamptz`);
  return w;
}

/** A uuid column compared with a filter value: a value that is no uuid matches nothing. */
function uuidEq(column: string, value: string, p: Params): string {
  return isUuid(value) ? `${column} = ${p.add(value)}::uuid` : 'false';
}

export function eventConditions(q: AuditQuery, p: Params, a = 'e'): string[] {
  const w = common(q, p, a);
  if (q.interactionId !== undefined) w.push(uuidEq(`${a}.interaction_id`, q.interactionId, p));
  if (q.actionId !== undefined) w.push(`${a}.action_id = ${p.add(encodeText(q.actionId))}`);
  if (q.eventTypes !== undefined) w.push(`${a}.event_type = ANY(${p.add(q.eventTypes)}::text[])`);
  if (q.success !== undefined) w.push(`${a}.success = ${p.add(q.success)}`);
  if (q.actionName !== undefined) w.push(`${a}.action_name = ${p.add(encodeText(q.actionName))}`);
  return w;
}

/** Interaction conditions except the search terms (see search-sql.ts). */
export function interactionConditions(q: AuditQuery, p: Params, a = 'i'): string[] {
  const w = common(q, p, a);
  if (q.interactionId !== undefined) w.push(uuidEq(`${a}.interaction_id`, q.interactionId, p));
  if (q.model !== undefined) w.push(`${a}.model_name = ${p.add(encodeText(q.model))}`);
  if (q.status !== undefined) w.push(`${a}.status = ${p.add(q.status)}`);
  if (q.provider !== undefined) w.push(`${a}.provider = ${p.add(encodeText(q.provider))}`);
  if (q.cluster !== undefined) w.push(`${a}.cluster = ${p.add(encodeText(q.cluster))}`);
  if (q.actionName !== undefined) {
    // The tool call lives in the interaction's partition: same org, same created_at.
    const inner = [`c.tool_name = ${p.add(encodeText(q.actionName))}`];
    if (q.orgId !== undefined) inner.push(`c.org_id = ${p.add(encodeText(q.orgId))}`);
    if (q.from !== undefined) inner.push(`c.created_at >= ${p.add(q.from)}::timestamptz`);
    if (q.to !== undefined) inner.push(`c.created_at < ${p.add(q.to)}::timestamptz`);
    w.push(`(${a}.interaction_id, ${a}.created_at) IN (SELECT c.interaction_id, c.created_at FROM tool_calls c WHERE ${inner.join(' AND ')})`);
  }
  return w;
}

/** A decoded keyset cursor whose id must be a uuid (events, interactions). */
export function uuidCursor(cursor: string): { t: string; id: string } {
  const pos = decodeCursor(cursor);
  if (!isUuid(pos.id)) throw new AuditrailError('CURSOR_INVALID', 'the cursor does not name a record');
  return pos;
}

/** The keyset condition: strictly after the cursor position in the query's order. */
export function keysetCondition(tsColumn: string, idColumn: string, pos: { t: string; id: string }, order: 'asc' | 'desc', p: Params, idCast = '::uuid'): string {
  const op = order === 'asc' ? '>' : '<';
  return `(${tsColumn}, ${idColumn}) ${op} (${p.add(pos.t)}::timestamptz, ${p.add(pos.id)}${idCast})`;
}

export function orderBy(tsColumn: string, idColumn: string, order: 'asc' | 'desc'): string {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  return `ORDER BY ${tsColumn} ${dir}, ${idColumn} ${dir}`;
}

export function where(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

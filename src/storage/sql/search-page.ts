import type { Interaction } from '../../core/interaction.js';
import type { AuditQuery, Page } from '../../core/query.js';
import { Params } from './params.js';
import { interactionConditions, keysetCondition, orderBy, uuidCursor, where } from './query-filters.js';
import { interactionPage } from './read-queries.js';
import { INTERACTION_SELECT, isoTime } from './row-decode.js';
import { searchCandidateCondition, searchExactConditions, searchPatterns, searchTerms } from './search-sql.js';
import type { SqlExecutor, SqlRow } from './sql-driver.js';

/**
 * A page of search results, by the cheaper of two ways, decided as it goes:
 *
 * 1. Scan: walk the query's rows in page order (the org/time index) and check the terms on each,
 *    at most `budget` rows. A frequent term fills the page within a few hundred rows, and the
 *    search index is not touched at all.
 * 2. Index: if the budget ran out first, the rest of the page comes from the rows after the last
 *    one scanned that the search index (plus search_pending) names as candidates, checked exactly.
 *    A rare term has few candidates.
 *
 * Either way the page holds exactly the rows the reference semantics select, in order.
 */
export async function searchInteractions(db: SqlExecutor, q: AuditQuery): Promise<Page<Interaction>> {
  if (q.offset !== undefined) return interactionPage(db, await byIndex(db, q, q.limit + 1, undefined), q.limit);
  const budget = Math.max(2_000, q.limit * 20);
  const p = new Params();
  const w = interactionConditions(q, p);
  if (q.cursor !== undefined) w.push(keysetCondition('i.created_at', 'i.interaction_id', uuidCursor(q.cursor), q.order, p));
  const exact = searchExactConditions(searchTerms(q.search!), p);
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const rev = q.order === 'asc' ? 'DESC' : 'ASC';
  const rows = await db.query(
    `WITH scanned AS MATERIALIZED (
       SELECT ${INTERACTION_SELECT}, (${exact.join(' AND ')}) AS hit FROM interactions i ${where(w)} ${orderBy('i.created_at', 'i.interaction_id', q.order)} LIMIT ${p.add(budget)}
     ),
     last AS (SELECT s.created_at AS last_at, s.interaction_id AS last_id FROM scanned s ORDER BY s.created_at ${rev}, s.interaction_id ${rev} LIMIT 1),
     hits AS (SELECT * FROM scanned s WHERE s.hit ORDER BY s.created_at ${dir}, s.interaction_id ${dir} LIMIT ${p.add(q.limit + 1)})
     SELECT h.*, l.last_at, l.last_id, (SELECT count(*) FROM scanned)::int8 AS scanned_count
     FROM last l LEFT JOIN hits h ON true
     ORDER BY h.created_at ${dir}, h.interaction_id ${dir}`,
    p.values,
  );
  const stats = rows[0];
  if (!stats) return { items: [], nextCursor: null };
  const hits = rows.filter((r) => r.interaction_id !== null);
  if (hits.length > q.limit || Number(stats.scanned_count) < budget) return interactionPage(db, hits, q.limit);
  const after = { t: isoTime(stats.last_at), id: stats.last_id as string };
  const rest = await byIndex(db, q, q.limit + 1 - hits.length, after);
  return interactionPage(db, [...hits, ...rest], q.limit);
}

/** Up to `n` matching rows from the search index's candidates, after `after` (or the query's cursor). */
async function byIndex(db: SqlExecutor, q: AuditQuery, n: number, after: { t: string; id: string } | undefined): Promise<SqlRow[]> {
  const p = new Params();
  const from = after ?? (q.cursor !== undefined ? uuidCursor(q.cursor) : undefined);
  const w = interactionConditions(q, p);
  const terms = searchTerms(q.search!);
  w.push(...searchExactConditions(terms, p));
  const patterns = searchPatterns(terms);
  const bound = from ? { op: q.order === 'asc' ? ('>=' as const) : ('<=' as const), t: from.t } : undefined;
  if (patterns.length > 0) w.push(searchCandidateCondition(q, patterns, p, 'i', bound));
  if (from) w.push(keysetCondition('i.created_at', 'i.interaction_id', from, q.order, p));
  const offset = q.offset !== undefined && after === undefined ? ` OFFSET ${p.add(q.offset)}` : '';
  return db.query(`SELECT ${INTERACTION_SELECT} FROM interactions i ${where(w)} ${orderBy('i.created_at', 'i.interaction_id', q.order)} LIMIT ${p.add(n)}${offset}`, p.values);
}


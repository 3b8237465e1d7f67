import type { Interaction } from '../../core/interaction.js';
import type { AuditQuery, Page } from '../../core/query.js';
import { Params } from './params.js';
import { interactionConditions, keysetCondition, orderBy, uuidCursor, where } from './query-filters.js';
import { interactionPage } from './read-queries.js';
import { INTERACTION_SELECT, isoTime } from './row-decode.js';
import { searchExactConditions, searchPatterns, searchTerms } from './search-sql.js';
import { encodeText } from './text-codec.js';
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
    { plan: 'generic' },
  );
  const stats = rows[0];
  if (!stats) return { items: [], nextCursor: null };
  const hits = rows.filter((r) => r.interaction_id !== null);
  if (hits.length > q.limit || Number(stats.scanned_count) < budget) return interactionPage(db, hits, q.limit);
  const after = { t: isoTime(stats.last_at), id: stats.last_id as string };
  const rest = await byIndex(db, q, q.limit + 1 - hits.length, after);
  return interactionPage(db, [...hits, ...rest], q.limit);
}

const CHUNK = 500;

/**
 * Up to `n` matching rows (after skipping q.offset when `after` is not given) from the search
 * index's candidates after `after` (or the query's cursor): the candidates come first, in page
 * order, from interaction_search (trigram index) and search_pending; then their rows are read and
 * checked exactly, a chunk at a time, until the page is full. Terms too short for the index are
 * checked on every row.
 */
async function byIndex(db: SqlExecutor, q: AuditQuery, n: number, after: { t: string; id: string } | undefined): Promise<SqlRow[]> {
  const from = after ?? (q.cursor !== undefined ? uuidCursor(q.cursor) : undefined);
  const skip = after === undefined ? (q.offset ?? 0) : 0;
  const terms = searchTerms(q.search!);
  const patterns = searchPatterns(terms);
  if (patterns.length === 0) {
    const p = new Params();
    const w = [...interactionConditions(q, p), ...searchExactConditions(terms, p)];
    if (from) w.push(keysetCondition('i.created_at', 'i.interaction_id', from, q.order, p));
    return db.query(`SELECT ${INTERACTION_SELECT} FROM interactions i ${where(w)} ${orderBy('i.created_at', 'i.interaction_id', q.order)} LIMIT ${p.add(n)} OFFSET ${p.add(skip)}`, p.values, {
      plan: 'generic',
    });
  }
  const cp = new Params();
  const scope = (alias: string): string[] => {
    const w: string[] = [];
    if (q.orgId !== undefined) w.push(`${alias}.org_id = ${cp.add(encodeText(q.orgId))}`);
    if (q.from !== undefined) w.push(`${alias}.created_at >= ${cp.add(q.from)}::timestamptz`);
    if (q.to !== undefined) w.push(`${alias}.created_at < ${cp.add(q.to)}::timestamptz`);
    if (from) w.push(keysetCondition(`${alias}.created_at`, `${alias}.interaction_id`, from, q.order, cp));
    return w;
  };
  const indexed = [...patterns.map((pat) => `s.doc LIKE lower(${cp.add(pat)})`), ...scope('s')];
  const pending = scope('p');
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  // A generic plan: a custom plan of every daily partition costs more to make than to run, and the
  // generic one probes the trigram index of each partition (the default LIKE selectivity favours it).
  const candidates = await db.query<{ interaction_id: string; created_at: Date | string }>(
    `SELECT c.interaction_id, c.created_at FROM (
       SELECT s.interaction_id, s.created_at FROM interaction_search s WHERE ${indexed.join(' AND ')}
       UNION ALL
       SELECT p.interaction_id, p.created_at FROM search_pending p${pending.length > 0 ? ` WHERE ${pending.join(' AND ')}` : ''}
     ) c ORDER BY c.created_at ${dir}, c.interaction_id ${dir}`,
    cp.values,
    { plan: 'generic' },
  );
  // Each candidate is read by its primary key in its own partition (run-time pruning per row of a
  // nested loop), whatever the planner thinks of the org or time indexes.
  const out: SqlRow[] = [];
  for (let i = 0; i < candidates.length && out.length < skip + n; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const p = new Params();
    const ids = p.add(chunk.map((c) => c.interaction_id));
    const ats = p.add(chunk.map((c) => (c.created_at instanceof Date ? c.created_at.toISOString() : String(c.created_at))));
    const w = [...interactionConditions(q, p), ...searchExactConditions(terms, p), 'i.interaction_id = c.id', 'i.created_at = c.at'];
    out.push(
      ...(await db.query(
        `SELECT x.* FROM unnest(${ids}::uuid[], ${ats}::timestamptz[]) WITH ORDINALITY AS c(id, at, ord)
         CROSS JOIN LATERAL (SELECT ${INTERACTION_SELECT} FROM interactions i ${where(w)}) x ORDER BY c.ord`,
        p.values,
        { plan: 'generic' },
      )),
    );
  }
  return out.slice(skip, skip + n);
}

import type { SqlDriver } from './sql-driver.js';

/**
 * Drops one archived day in a single transaction: its partitions of every table, its ids in
 * record_ids (a replay of a dropped record is stored again: deduplication spans the retention
 * period), its rows still waiting in search_pending, and brings the sessions it touched back in
 * step with the interactions that remain (count, first and last seen; a session left with none
 * is deleted). The retention_runs row becomes 'dropped' in the same transaction.
 */
export async function dropDay(driver: SqlDriver, day: string): Promise<void> {
  const suffix = `_p${day.replace(/-/g, '')}`;
  const from = `${day}T00:00:00Z`;
  const to = new Date(Date.parse(from) + 86_400_000).toISOString();
  await driver.transaction(async (tx) => {
    const parents = await tx.query<{ relname: string }>(
      `SELECT c.relname FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
       WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1`,
    );
    const existing = new Set<string>();
    for (const { relname } of parents) {
      const r = await tx.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [relname + suffix]);
      if (r[0]?.t) existing.add(relname);
    }
    let affected: { org_id: string; session_id: string }[] = [];
    if (existing.has('interactions')) {
      affected = await tx.query(`SELECT DISTINCT org_id, session_id FROM interactions${suffix}`);
      await tx.query(`DELETE FROM record_ids r USING interactions${suffix} p WHERE r.id = p.interaction_id`);
    }
    if (existing.has('events')) await tx.query(`DELETE FROM record_ids r USING events${suffix} p WHERE r.id = p.event_id`);
    await tx.query('DELETE FROM search_pending WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz', [from, to]);
    for (const parent of existing) await tx.exec(`DROP TABLE ${parent}${suffix}`);
    if (affected.length > 0) {
      await tx.query(
        `WITH affected AS (SELECT * FROM unnest($1::text[], $2::text[]) AS a(org_id, session_id)),
         remaining AS (
           SELECT i.org_id, i.session_id, min(i.created_at) AS first_seen, max(i.created_at) AS last_seen, count(*) AS n
           FROM interactions i JOIN affected a ON a.org_id = i.org_id AND a.session_id = i.session_id GROUP BY 1, 2
         ),
         updated AS (
           UPDATE sessions s SET first_seen = r.first_seen, last_seen = r.last_seen, interaction_count = r.n
           FROM remaining r WHERE s.org_id = r.org_id AND s.session_id = r.session_id RETURNING s.org_id
         )
         DELETE FROM sessions s USING affected a
         WHERE s.org_id = a.org_id AND s.session_id = a.session_id
           AND NOT EXISTS (SELECT 1 FROM remaining r WHERE r.org_id = s.org_id AND r.session_id = s.session_id)`,
        [affected.map((a) => a.org_id), affected.map((a) => a.session_id)],
      );
    }
    await tx.query("UPDATE retention_runs SET state = 'dropped', dropped_at = now() WHERE day = $1::date", [day]);
  });
}

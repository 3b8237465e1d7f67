import type { SqlDriver } from './sql-driver.js';

/**
 * Moves up to `batchSize` interactions from search_pending into interaction_search (the indexed
 * documents) in one transaction, so that each interaction is in exactly one of the two at any
 * moment and a search that reads both never misses or doubles one. SKIP LOCKED lets several
 * processes index at once. Pending rows whose interaction is gone (retention) are just removed.
 */
const MOVE = `WITH moved AS (
  DELETE FROM search_pending
  WHERE ctid = ANY (ARRAY(SELECT ctid FROM search_pending LIMIT $1 FOR UPDATE SKIP LOCKED))
  RETURNING interaction_id, created_at
), indexed AS (
  INSERT INTO interaction_search (interaction_id, org_id, created_at, doc)
  SELECT i.interaction_id, i.org_id, i.created_at, auditrail_search_doc(i.question, i.final_answer)
  FROM moved m JOIN interactions i ON i.interaction_id = m.interaction_id AND i.created_at = m.created_at
  RETURNING 1
)
SELECT (SELECT count(*) FROM moved)::int8 AS moved, (SELECT count(*) FROM indexed)::int8 AS indexed`;

export async function indexSearchBatch(driver: SqlDriver, batchSize: number): Promise<number> {
  const rows = await driver.query<{ moved: number }>(MOVE, [batchSize]);
  return Number(rows[0]?.moved ?? 0);
}

/** Indexes until search_pending is empty (or `maxBatches` were done); answers the rows moved. */
export async function drainSearchPending(driver: SqlDriver, batchSize: number, maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
  let total = 0;
  for (let n = 0; n < maxBatches; n++) {
    const moved = await indexSearchBatch(driver, batchSize);
    total += moved;
    if (moved < batchSize) break;
  }
  return total;
}

import type { AnalyticsQuery, AnalyticsRow } from '../../core/analytics.js';
import { Params } from './params.js';
import type { SqlExecutor } from './sql-driver.js';
import { decodeNullableText, encodeText } from './text-codec.js';

const BUCKET_INTERVAL = { minute: '1 minute', hour: '1 hour', day: '1 day' } as const;
const GROUP_COLUMN = { model: 'i.model_name', agent: 'i.agent_id', status: 'i.status', provider: 'i.provider', cluster: 'i.cluster' } as const;

interface Row {
  bucket: Date | string;
  grp: string | null;
  count: number;
  errors: number;
  p: (number | null)[] | null;
  input_tokens: number;
  output_tokens: number;
}

/**
 * Volume, errors and latency percentiles per UTC bucket and group, in one aggregate query.
 * percentile_cont is the reference's interpolation rule; buckets are date_bin from the epoch,
 * like core's bucketStart. Grouped by tool, rows are tool calls (joined to their interaction only
 * when an interaction filter needs it).
 */
export async function analytics(db: SqlExecutor, q: AnalyticsQuery): Promise<AnalyticsRow[]> {
  const p = new Params();
  const byTool = q.groupBy === 'tool';
  const t = byTool ? 'c' : 'i';
  const w = [`${t}.created_at >= ${p.add(q.from)}::timestamptz`, `${t}.created_at < ${p.add(q.to)}::timestamptz`];
  if (q.orgId !== undefined) w.push(`${t}.org_id = ${p.add(encodeText(q.orgId))}`);
  const iw: string[] = [];
  if (q.model !== undefined) iw.push(`i.model_name = ${p.add(encodeText(q.model))}`);
  if (q.agentId !== undefined) iw.push(`i.agent_id = ${p.add(encodeText(q.agentId))}`);
  if (q.provider !== undefined) iw.push(`i.provider = ${p.add(encodeText(q.provider))}`);
  if (q.cluster !== undefined) iw.push(`i.cluster = ${p.add(encodeText(q.cluster))}`);
  const bucket = `date_bin(${p.add(BUCKET_INTERVAL[q.bucket])}::interval, ${t}.created_at, '1970-01-01T00:00:00Z'::timestamptz)`;
  let sql: string;
  if (byTool) {
    const join = iw.length > 0 ? 'JOIN interactions i ON i.interaction_id = c.interaction_id AND i.created_at = c.created_at' : '';
    sql = `SELECT ${bucket} AS bucket, c.tool_name AS grp, count(*)::int8 AS count,
        count(*) FILTER (WHERE c.status <> 'success')::int8 AS errors,
        percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY c.duration_ms) AS p,
        0::int8 AS input_tokens, 0::int8 AS output_tokens
      FROM tool_calls c ${join} WHERE ${[...w, ...iw].join(' AND ')} GROUP BY 1, 2`;
  } else {
    const group = q.groupBy === undefined || q.groupBy === 'tool' ? 'NULL::text' : GROUP_COLUMN[q.groupBy];
    sql = `SELECT ${bucket} AS bucket, ${group} AS grp, count(*)::int8 AS count,
        count(*) FILTER (WHERE i.status <> 'success')::int8 AS errors,
        percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY i.total_duration_ms) AS p,
        coalesce(sum(i.input_tokens), 0)::int8 AS input_tokens, coalesce(sum(i.output_tokens), 0)::int8 AS output_tokens
      FROM interactions i WHERE ${[...w, ...iw].join(' AND ')} GROUP BY 1, 2`;
  }
  const rows = await db.query<Row>(sql, p.values, { plan: 'generic' });
  return rows
    .map((r): AnalyticsRow => {
      const pct = (k: number) => (r.p?.[k] === null || r.p?.[k] === undefined ? null : Number(r.p[k]));
      return {
        bucket: (r.bucket instanceof Date ? r.bucket : new Date(r.bucket)).toISOString(),
        group: decodeNullableText(r.grp),
        count: Number(r.count),
        errors: Number(r.errors),
        p50Ms: pct(0),
        p95Ms: pct(1),
        p99Ms: pct(2),
        inputTokens: Number(r.input_tokens),
        outputTokens: Number(r.output_tokens),
      };
    })
    .sort((x, y) => (x.bucket < y.bucket ? -1 : x.bucket > y.bucket ? 1 : (x.group ?? '') < (y.group ?? '') ? -1 : (x.group ?? '') > (y.group ?? '') ? 1 : 0));
}

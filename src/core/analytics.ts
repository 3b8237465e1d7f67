import { z } from 'zod';
import { IdSchema, TimestampSchema } from './audit-event.js';
import { AuditrailError } from './errors.js';
import type { Interaction } from './interaction.js';
import { toIssues } from './record.js';

export const ANALYTICS_BUCKETS = ['minute', 'hour', 'day'] as const;
export const ANALYTICS_GROUPS = ['model', 'agent', 'tool', 'status', 'provider', 'cluster'] as const;

/**
 * Analytics over interactions (and, for `groupBy: 'tool'`, over their tool calls): volume, errors
 * and latency percentiles per time bucket and group. Buckets are aligned to UTC.
 */
export const AnalyticsQuerySchema = z
  .object({
    orgId: IdSchema.optional(),
    from: TimestampSchema,
    to: TimestampSchema,
    bucket: z.enum(ANALYTICS_BUCKETS).default('hour'),
    groupBy: z.enum(ANALYTICS_GROUPS).optional(),
    model: IdSchema.optional(),
    agentId: IdSchema.optional(),
    provider: IdSchema.optional(),
    cluster: IdSchema.optional(),
  })
  .strict()
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });

export type AnalyticsQuery = z.output<typeof AnalyticsQuerySchema>;

export interface AnalyticsRow {
  /** Bucket start, UTC ISO 8601. */
  readonly bucket: string;
  /** Group value (model name, agent id, tool name…); null when not grouped or the value is absent. */
  readonly group: string | null;
  /** Interactions (or tool calls, when grouped by tool) in the bucket. */
  readonly count: number;
  /** Of which not successful (status other than success). */
  readonly errors: number;
  /** Latency percentiles in ms over totalDurationMs (or tool call durationMs); null when none known. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export function parseAnalyticsQuery(input: unknown): AnalyticsQuery {
  const r = AnalyticsQuerySchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issues = toIssues(r.error);
  throw new AuditrailError('QUERY_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export function bucketStart(ts: string, bucket: AnalyticsQuery['bucket']): string {
  const ms = Date.parse(ts);
  return new Date(ms - (ms % BUCKET_MS[bucket])).toISOString();
}

/**
 * Percentile by the nearest-rank-with-interpolation rule PostgreSQL's percentile_cont uses, so
 * that every backend reports the same number for the same data.
 */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Reference implementation over interactions in memory (memory and file storages use it). */
export function computeAnalytics(interactions: Iterable<Interaction>, q: AnalyticsQuery): AnalyticsRow[] {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  type Acc = { bucket: string; group: string | null; count: number; errors: number; durations: number[]; inTok: number; outTok: number };
  const acc = new Map<string, Acc>();
  const add = (bucket: string, group: string | null, failed: boolean, durationMs: number | null | undefined, inTok: number, outTok: number) => {
    const key = `${bucket}\u0000${group ?? '\u0001'}`;
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { bucket, group, count: 0, errors: 0, durations: [], inTok: 0, outTok: 0 }));
    a.count++;
    if (failed) a.errors++;
    if (durationMs !== null && durationMs !== undefined) a.durations.push(durationMs);
    a.inTok += inTok;
    a.outTok += outTok;
  };
  for (const i of interactions) {
    const t = Date.parse(i.timestamp);
    if (t < from || t >= to) continue;
    if (q.orgId !== undefined && i.orgId !== q.orgId) continue;
    if (q.model !== undefined && i.model !== q.model) continue;
    if (q.agentId !== undefined && i.agentId !== q.agentId) continue;
    if (q.provider !== undefined && i.provider !== q.provider) continue;
    if (q.cluster !== undefined && i.cluster !== q.cluster) continue;
    const bucket = bucketStart(i.timestamp, q.bucket);
    if (q.groupBy === 'tool') {
      for (const c of i.toolCalls) add(bucket, c.name, c.status !== 'success', c.durationMs, 0, 0);
      continue;
    }
    const group = q.groupBy === undefined ? null : groupValue(i, q.groupBy);
    add(bucket, group, i.status !== 'success', i.totalDurationMs, i.usage?.inputTokens ?? 0, i.usage?.outputTokens ?? 0);
  }
  return [...acc.values()]
    .map((a) => {
      const d = a.durations.sort((x, y) => x - y);
      return {
        bucket: a.bucket,
        group: a.group,
        count: a.count,
        errors: a.errors,
        p50Ms: percentileCont(d, 0.5),
        p95Ms: percentileCont(d, 0.95),
        p99Ms: percentileCont(d, 0.99),
        inputTokens: a.inTok,
        outputTokens: a.outTok,
      };
    })
    .sort((x, y) => (x.bucket < y.bucket ? -1 : x.bucket > y.bucket ? 1 : (x.group ?? '') < (y.group ?? '') ? -1 : (x.group ?? '') > (y.group ?? '') ? 1 : 0));
}

function groupValue(i: Interaction, g: Exclude<AnalyticsQuery['groupBy'], undefined | 'tool'>): string | null {
  switch (g) {
    case 'model':
      return i.model;
    case 'agent':
      return i.agentId ?? null;
    case 'status':
      return i.status;
    case 'provider':
      return i.provider ?? null;
    case 'cluster':
      return i.cluster ?? null;
  }
}

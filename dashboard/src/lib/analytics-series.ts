import type { AnalyticsRow, Bucket } from '../api/types.js';
import { BUCKET_MS } from './time-range.js';

export interface BucketPoint {
  readonly t: number;
  readonly count: number;
  readonly ok: number;
  readonly errors: number;
  /** Percent of interactions not successful; null for an empty bucket. */
  readonly errorRate: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Every bucket of the range, empty ones included, so the time axis has no holes. */
export function bucketSeries(rows: readonly AnalyticsRow[], fromIso: string, toIso: string, bucket: Bucket): BucketPoint[] {
  const size = BUCKET_MS[bucket];
  const byT = new Map<number, AnalyticsRow>();
  for (const r of rows) byT.set(Date.parse(r.bucket), r);
  const start = Math.floor(Date.parse(fromIso) / size) * size;
  const end = Date.parse(toIso);
  const out: BucketPoint[] = [];
  for (let t = start; t < end && out.length < 2000; t += size) {
    const r = byT.get(t);
    out.push({
      t,
      count: r?.count ?? 0,
      ok: (r?.count ?? 0) - (r?.errors ?? 0),
      errors: r?.errors ?? 0,
      errorRate: r && r.count > 0 ? (100 * r.errors) / r.count : null,
      p50: r?.p50Ms ?? null,
      p95: r?.p95Ms ?? null,
      p99: r?.p99Ms ?? null,
      inputTokens: r?.inputTokens ?? 0,
      outputTokens: r?.outputTokens ?? 0,
    });
  }
  return out;
}

export interface Totals {
  readonly count: number;
  readonly errors: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export function totalsOf(rows: readonly AnalyticsRow[]): Totals {
  let count = 0;
  let errors = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const r of rows) {
    count += r.count;
    errors += r.errors;
    inputTokens += r.inputTokens;
    outputTokens += r.outputTokens;
  }
  return { count, errors, inputTokens, outputTokens };
}

export interface GroupTotals extends Totals {
  readonly group: string;
  /** Percentiles cannot be merged across buckets: the worst bucket's value is shown, and named so. */
  readonly worstP50: number | null;
  readonly worstP95: number | null;
  readonly worstP99: number | null;
}

export function groupTotals(rows: readonly AnalyticsRow[]): GroupTotals[] {
  const by = new Map<string, AnalyticsRow[]>();
  for (const r of rows) {
    const g = r.group ?? '(none)';
    const list = by.get(g);
    if (list) list.push(r);
    else by.set(g, [r]);
  }
  const worst = (list: AnalyticsRow[], k: 'p50Ms' | 'p95Ms' | 'p99Ms') =>
    list.reduce<number | null>((m, r) => (r[k] === null ? m : m === null ? r[k] : Math.max(m, r[k])), null);
  return [...by.entries()]
    .map(([group, list]) => ({ group, ...totalsOf(list), worstP50: worst(list, 'p50Ms'), worstP95: worst(list, 'p95Ms'), worstP99: worst(list, 'p99Ms') }))
    .sort((a, b) => b.count - a.count || a.group.localeCompare(b.group));
}

export type Percentile = 'p50' | 'p95' | 'p99';

/** One line per group (the `max` busiest), a point per bucket: the chosen latency percentile. */
export function groupLatencySeries(rows: readonly AnalyticsRow[], fromIso: string, toIso: string, bucket: Bucket, p: Percentile, max = 8): { data: Record<string, number | null>[]; groups: string[] } {
  const groups = groupTotals(rows)
    .slice(0, max)
    .map((g) => g.group);
  const key = `${p}Ms` as const;
  const cells = new Map<string, number | null>();
  for (const r of rows) cells.set(`${Date.parse(r.bucket)}\u0000${r.group ?? '(none)'}`, r[key]);
  const data = bucketSeries([], fromIso, toIso, bucket).map((b) => {
    const point: Record<string, number | null> = { t: b.t };
    for (const g of groups) point[g] = cells.get(`${b.t}\u0000${g}`) ?? null;
    return point;
  });
  return { data, groups };
}

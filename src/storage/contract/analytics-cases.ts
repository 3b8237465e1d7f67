import { describe, expect, it } from 'vitest';
import { computeAnalytics, parseAnalyticsQuery, type AnalyticsRow } from '../../core/index.js';
import { FIXTURE_START_MS, makeInteraction } from './fixtures.js';
import { withStorage, type LoadedStorage, type OpenStorageUnderTest } from './support.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Rows in a canonical order with percentiles rounded (SQL computes them in float8). */
function canonical(rows: readonly AnalyticsRow[]): AnalyticsRow[] {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return rows
    .map((r) => ({ ...r, p50Ms: round(r.p50Ms), p95Ms: round(r.p95Ms), p99Ms: round(r.p99Ms) }))
    .sort((a, b) => (a.bucket === b.bucket ? (a.group ?? '').localeCompare(b.group ?? '') : a.bucket < b.bucket ? -1 : 1));
}

/** analytics(): compared with computeAnalytics (the reference) on the generated data set. */
export function analyticsCases(loaded: () => LoadedStorage, open: OpenStorageUnderTest): void {
  describe('analytics', () => {
    const whole = { from: iso(FIXTURE_START_MS), to: iso(FIXTURE_START_MS + 3 * DAY_MS) };
    const queries = [
      { ...whole, bucket: 'hour' },
      { ...whole, bucket: 'day', groupBy: 'model' },
      { ...whole, bucket: 'hour', groupBy: 'agent', orgId: 'org_a' },
      { ...whole, bucket: 'day', groupBy: 'tool' },
      { ...whole, bucket: 'hour', groupBy: 'status', model: 'gpt-4o' },
      { ...whole, bucket: 'day', groupBy: 'provider', agentId: 'agent_ops' },
      { ...whole, bucket: 'hour', groupBy: 'cluster', provider: 'anthropic' },
      { from: iso(FIXTURE_START_MS + 30 * 60_000), to: iso(FIXTURE_START_MS + 90 * 60_000), bucket: 'minute', groupBy: 'tool', cluster: 'prod-bj' },
    ] as const;

    for (const input of queries) {
      const label = [input.bucket, 'groupBy' in input ? `by ${input.groupBy}` : 'ungrouped', ...Object.keys(input).filter((k) => !['from', 'to', 'bucket', 'groupBy'].includes(k))].join(', ');
      it(`matches the reference: ${label}`, async () => {
        const { storage, data } = loaded();
        const query = parseAnalyticsQuery(input);
        const want = computeAnalytics(data.storedInteractions, query);
        expect(want.length, 'the query selects something').toBeGreaterThan(0);
        expect(canonical(await storage.analytics(query))).toEqual(canonical(want));
      });
    }

    it('counts every interaction and every failure of the range once when ungrouped', async () => {
      const { storage, data } = loaded();
      const rows = await storage.analytics(parseAnalyticsQuery({ ...whole, bucket: 'day' }));
      expect(rows.map((r) => r.bucket)).toEqual([iso(FIXTURE_START_MS), iso(FIXTURE_START_MS + DAY_MS)]);
      expect(rows.reduce((n, r) => n + r.count, 0)).toBe(data.interactions.length);
      expect(rows.reduce((n, r) => n + r.errors, 0)).toBe(data.interactions.filter((i) => i.status !== 'success').length);
      expect(rows.reduce((n, r) => n + r.inputTokens, 0)).toBe(data.interactions.reduce((n, i) => n + (i.usage?.inputTokens ?? 0), 0));
    });

    it('computes volume, errors, percentiles (percentile_cont) and tokens for a known bucket', () =>
      withStorage(open, async ({ storage }) => {
        const at = (min: number) => iso(FIXTURE_START_MS + min * 60_000);
        const durations = [100, 200, 300, 400, 1000, null];
        await storage.append([
          ...durations.map((d, k) =>
            makeInteraction({
              timestamp: at(k),
              totalDurationMs: d,
              status: k === 1 ? 'error' : 'success',
              usage: { inputTokens: 10 * (k + 1), outputTokens: k },
              model: k % 2 === 0 ? 'm-even' : 'm-odd',
            }),
          ),
          makeInteraction({ timestamp: at(60), totalDurationMs: 5, orgId: 'org_b' }),
          makeInteraction({ timestamp: at(-1), totalDurationMs: 5 }),
        ]);
        const rows = await storage.analytics(parseAnalyticsQuery({ from: at(0), to: at(60), bucket: 'hour', orgId: 'org_a' }));
        expect(canonical(rows)).toEqual([
          { bucket: at(0), group: null, count: 6, errors: 1, p50Ms: 300, p95Ms: 880, p99Ms: 976, inputTokens: 210, outputTokens: 15 },
        ]);
        const byModel = await storage.analytics(parseAnalyticsQuery({ from: at(0), to: at(60), bucket: 'hour', groupBy: 'model' }));
        expect(canonical(byModel).map((r) => [r.group, r.count, r.p50Ms])).toEqual([
          ['m-even', 3, 300],
          ['m-odd', 3, 300],
        ]);
        const empty = await storage.analytics(parseAnalyticsQuery({ from: at(120), to: at(180) }));
        expect(empty).toEqual([]);
      }));
  });
}

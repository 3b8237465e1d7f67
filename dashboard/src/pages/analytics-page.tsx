import { useMemo } from 'react';
import type { ApiClient } from '../api/client.js';
import type { AnalyticsGroup, AnalyticsQuery, AnalyticsRow } from '../api/types.js';
import { ChartCard } from '../charts/chart-card.js';
import { ErrorRateChart } from '../charts/error-rate-chart.js';
import { FailingToolsChart } from '../charts/failing-tools-chart.js';
import { GroupLatencyChart } from '../charts/group-latency-chart.js';
import { LatencyChart } from '../charts/latency-chart.js';
import { TokenChart } from '../charts/token-chart.js';
import { VolumeChart } from '../charts/volume-chart.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorState } from '../components/error-state.js';
import { FilterInput } from '../components/filter-input.js';
import { FirstEventHelp } from '../components/first-event-help.js';
import { GroupTable } from '../components/group-table.js';
import { Loading } from '../components/loading.js';
import { SelectField } from '../components/select-field.js';
import { StatCard } from '../components/stat-card.js';
import { TimeRangePicker } from '../components/time-range-picker.js';
import { bucketSeries, groupLatencySeries, groupTotals, totalsOf, type Percentile } from '../lib/analytics-series.js';
import { formatCompact, formatNumber, formatPercent } from '../lib/format.js';
import { useClient } from '../lib/session-context.js';
import { bucketFor, resolveRange } from '../lib/time-range.js';
import { useApi } from '../lib/use-api.js';
import { useUrlParams } from '../lib/use-url-params.js';

const DIMENSIONS = [
  { value: 'model', label: 'Model' },
  { value: 'agent', label: 'Agent' },
  { value: 'tool', label: 'Tool' },
  { value: 'provider', label: 'Provider' },
  { value: 'cluster', label: 'Cluster' },
];
const PERCENTILES = [
  { value: 'p50', label: 'p50' },
  { value: 'p95', label: 'p95' },
  { value: 'p99', label: 'p99' },
];
const DEFAULT_RANGE = '7d';

interface Loaded {
  readonly overall: AnalyticsRow[];
  readonly grouped: AnalyticsRow[];
  readonly tools: AnalyticsRow[];
}

/** Volume, error rate, latency percentiles by model/agent/tool, failing tools, tokens. */
export function AnalyticsPage() {
  const client = useClient();
  const { params, get, update } = useUrlParams();
  const search = params.toString();
  const query = useMemo(() => {
    const p = new URLSearchParams(search);
    const r = resolveRange(p, DEFAULT_RANGE);
    const to = r.to ?? new Date().toISOString();
    const from = r.from ?? new Date(Date.parse(to) - 7 * 86_400_000).toISOString();
    const q: AnalyticsQuery = { from, to, bucket: bucketFor(Date.parse(from), Date.parse(to)) };
    for (const k of ['model', 'agentId', 'provider', 'cluster'] as const) {
      const v = p.get(k);
      if (v) q[k] = v;
    }
    return q;
  }, [search]);
  const dimension = (get('by') || 'model') as AnalyticsGroup;
  const percentile = (get('p') || 'p95') as Percentile;
  const { data, error, loading, reload } = useApi(`analytics:${JSON.stringify(query)}:${dimension}`, (signal) => load(client, query, dimension, signal));

  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>Analytics</h1>
          <p className="muted">
            Volume, errors, latency and tokens in {query.bucket} buckets.
          </p>
        </div>
      </header>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <div className="filters-main">
          <TimeRangePicker
            allowAll={false}
            value={{ range: get('range') || DEFAULT_RANGE, from: get('from') || undefined, to: get('to') || undefined }}
            onChange={(r) => update({ range: r.range === DEFAULT_RANGE ? undefined : r.range, from: r.from, to: r.to })}
          />
          <FilterInput label="Model" name="model" value={get('model')} placeholder="any model" onCommit={(model) => update({ model })} />
          <FilterInput label="Agent" name="agentId" value={get('agentId')} placeholder="any agent" onCommit={(agentId) => update({ agentId })} />
          <FilterInput label="Provider" name="provider" value={get('provider')} placeholder="any provider" onCommit={(provider) => update({ provider })} />
          <FilterInput label="Cluster" name="cluster" value={get('cluster')} placeholder="any cluster" onCommit={(cluster) => update({ cluster })} />
        </div>
      </form>
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading || !data ? (
        <Loading />
      ) : (
        <Charts data={data} query={query} dimension={dimension} percentile={percentile} onDimension={(by) => update({ by: by === 'model' ? undefined : by })} onPercentile={(p) => update({ p: p === 'p95' ? undefined : p })} />
      )}
    </section>
  );
}

async function load(client: ApiClient, q: AnalyticsQuery, dimension: AnalyticsGroup, signal: AbortSignal): Promise<Loaded> {
  const [overall, grouped, tools] = await Promise.all([
    client.analytics(q, signal),
    client.analytics({ ...q, groupBy: dimension }, signal),
    dimension === 'tool' ? Promise.resolve(null) : client.analytics({ ...q, groupBy: 'tool' }, signal),
  ]);
  return { overall, grouped, tools: tools ?? grouped };
}

interface ChartsProps {
  readonly data: Loaded;
  readonly query: AnalyticsQuery;
  readonly dimension: AnalyticsGroup;
  readonly percentile: Percentile;
  readonly onDimension: (v: string) => void;
  readonly onPercentile: (v: string) => void;
}

function Charts({ data, query, dimension, percentile, onDimension, onPercentile }: ChartsProps) {
  const series = useMemo(() => bucketSeries(data.overall, query.from, query.to, query.bucket), [data.overall, query]);
  const totals = totalsOf(data.overall);
  const groups = useMemo(() => groupTotals(data.grouped), [data.grouped]);
  const byGroup = useMemo(() => groupLatencySeries(data.grouped, query.from, query.to, query.bucket, percentile), [data.grouped, query, percentile]);
  const failing = useMemo(() => groupTotals(data.tools).filter((t) => t.errors > 0).sort((a, b) => b.errors - a.errors).slice(0, 10), [data.tools]);
  const toolCalls = totalsOf(data.tools).count;
  const dimLabel = DIMENSIONS.find((d) => d.value === dimension)?.label ?? dimension;

  if (totals.count === 0) {
    return (
      <EmptyState title="No interactions in this range">
        <p className="muted">Pick a wider range, or send your first interaction:</p>
        <FirstEventHelp />
      </EmptyState>
    );
  }
  return (
    <>
      <div className="stats">
        <StatCard label="Interactions" value={formatNumber(totals.count)} testId="total-interactions" />
        <StatCard label="Not successful" value={formatNumber(totals.errors)} detail={`${formatPercent(totals.errors, totals.count)} error rate`} testId="total-errors" tone={totals.errors > 0 ? 'bad' : 'ok'} />
        <StatCard label="Tool calls" value={formatNumber(toolCalls)} detail={`${failing.reduce((n, t) => n + t.errors, 0)} failed`} testId="total-tool-calls" />
        <StatCard
          label="Tokens"
          value={formatCompact(totals.inputTokens + totals.outputTokens)}
          detail={`${formatNumber(totals.inputTokens)} in · ${formatNumber(totals.outputTokens)} out`}
          testId="total-tokens"
        />
      </div>
      <div className="chart-grid">
        <ChartCard title="Volume" subtitle={`interactions per ${query.bucket}`} testId="chart-volume">
          <VolumeChart data={series} bucket={query.bucket} />
        </ChartCard>
        <ChartCard title="Error rate" subtitle="not successful / all" testId="chart-error-rate">
          <ErrorRateChart data={series} bucket={query.bucket} />
        </ChartCard>
        <ChartCard title="Latency" subtitle="interaction duration percentiles" testId="chart-latency">
          <LatencyChart data={series} bucket={query.bucket} />
        </ChartCard>
        <ChartCard title="Token usage" subtitle={`per ${query.bucket}`} testId="chart-tokens">
          <TokenChart data={series} bucket={query.bucket} />
        </ChartCard>
        <ChartCard title="Top failing tools" subtitle="failed or rejected calls" testId="chart-failing-tools">
          {failing.length > 0 ? <FailingToolsChart tools={failing} /> : <p className="muted chart-empty">No tool call failed in this range.</p>}
        </ChartCard>
        <ChartCard
          title={`Latency by ${dimLabel.toLowerCase()}`}
          subtitle={`${percentile} per ${query.bucket}`}
          testId="chart-group-latency"
          actions={
            <>
              <SelectField label="Group by" name="by" value={dimension} options={DIMENSIONS} onChange={onDimension} />
              <SelectField label="Percentile" name="p" value={percentile} options={PERCENTILES} onChange={onPercentile} />
            </>
          }
        >
          <GroupLatencyChart data={byGroup.data} groups={byGroup.groups} bucket={query.bucket} />
        </ChartCard>
      </div>
      <section className="card">
        <header className="chart-head">
          <h2>By {dimLabel.toLowerCase()}</h2>
        </header>
        <GroupTable rows={groups} dimension={dimLabel} />
      </section>
    </>
  );
}

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Bucket } from '../api/types.js';
import type { BucketPoint } from '../lib/analytics-series.js';
import { formatDuration } from '../lib/format.js';
import { tickFormatter, tooltipLabel, tooltipStyle, useChartTheme } from './chart-theme.js';

/** p50, p95 and p99 of interaction duration per bucket. */
export function LatencyChart({ data, bucket }: { data: readonly BucketPoint[]; bucket: Bucket }) {
  const c = useChartTheme();
  const dot = data.length < 40;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={[...data]} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={c.grid} vertical={false} />
        <XAxis dataKey="t" tickFormatter={tickFormatter(bucket)} stroke={c.axis} fontSize={11} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatDuration(v)} stroke={c.axis} fontSize={11} width={64} />
        <Tooltip labelFormatter={tooltipLabel} formatter={(v) => (typeof v === 'number' ? formatDuration(v) : String(v))} {...tooltipStyle} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line dataKey="p50" name="p50" stroke={c.series[0]} strokeWidth={2} dot={dot} isAnimationActive={false} />
        <Line dataKey="p95" name="p95" stroke={c.warn} strokeWidth={2} dot={dot} isAnimationActive={false} />
        <Line dataKey="p99" name="p99" stroke={c.bad} strokeWidth={2} dot={dot} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

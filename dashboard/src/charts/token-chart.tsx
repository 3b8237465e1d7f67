import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Bucket } from '../api/types.js';
import type { BucketPoint } from '../lib/analytics-series.js';
import { formatCompact, formatNumber } from '../lib/format.js';
import { tickFormatter, tooltipLabel, tooltipStyle, useChartTheme } from './chart-theme.js';

/** Input and output tokens per bucket, stacked. */
export function TokenChart({ data, bucket }: { data: readonly BucketPoint[]; bucket: Bucket }) {
  const c = useChartTheme();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={[...data]} margin={{ top: 8, right: 8, bottom: 0, left: -4 }}>
        <CartesianGrid stroke={c.grid} vertical={false} />
        <XAxis dataKey="t" tickFormatter={tickFormatter(bucket)} stroke={c.axis} fontSize={11} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatCompact(v)} stroke={c.axis} fontSize={11} />
        <Tooltip labelFormatter={tooltipLabel} formatter={(v) => (typeof v === 'number' ? formatNumber(v) : String(v))} {...tooltipStyle} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Area dataKey="inputTokens" name="input" stackId="k" stroke={c.series[0]} fill={c.series[0]} fillOpacity={0.35} isAnimationActive={false} />
        <Area dataKey="outputTokens" name="output" stackId="k" stroke={c.series[4]} fill={c.series[4]} fillOpacity={0.35} isAnimationActive={false} />
      </AreaChart>
    </ResponsiveContainer>
  );
}

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Bucket } from '../api/types.js';
import type { BucketPoint } from '../lib/analytics-series.js';
import { tickFormatter, tooltipLabel, tooltipStyle, useChartTheme } from './chart-theme.js';

/** Share of interactions not successful, per bucket (gaps where there was no traffic). */
export function ErrorRateChart({ data, bucket }: { data: readonly BucketPoint[]; bucket: Bucket }) {
  const c = useChartTheme();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={[...data]} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
        <CartesianGrid stroke={c.grid} vertical={false} />
        <XAxis dataKey="t" tickFormatter={tickFormatter(bucket)} stroke={c.axis} fontSize={11} minTickGap={24} />
        <YAxis domain={[0, 100]} unit="%" stroke={c.axis} fontSize={11} />
        <Tooltip labelFormatter={tooltipLabel} formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : String(v))} {...tooltipStyle} />
        <Line dataKey="errorRate" name="error rate" stroke={c.bad} strokeWidth={2} dot={data.length < 40} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

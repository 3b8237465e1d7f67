import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Bucket } from '../api/types.js';
import type { BucketPoint } from '../lib/analytics-series.js';
import { tickFormatter, tooltipLabel, tooltipStyle, useChartTheme } from './chart-theme.js';

/** Interactions per bucket, successful and not, stacked. */
export function VolumeChart({ data, bucket }: { data: readonly BucketPoint[]; bucket: Bucket }) {
  const c = useChartTheme();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={[...data]} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
        <CartesianGrid stroke={c.grid} vertical={false} />
        <XAxis dataKey="t" tickFormatter={tickFormatter(bucket)} stroke={c.axis} fontSize={11} minTickGap={24} />
        <YAxis allowDecimals={false} stroke={c.axis} fontSize={11} />
        <Tooltip labelFormatter={tooltipLabel} {...tooltipStyle} cursor={{ fill: c.grid, opacity: 0.5 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="ok" name="successful" stackId="v" fill={c.ok} isAnimationActive={false} />
        <Bar dataKey="errors" name="not successful" stackId="v" fill={c.bad} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

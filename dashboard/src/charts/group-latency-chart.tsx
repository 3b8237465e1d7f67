import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Bucket } from '../api/types.js';
import { formatDuration } from '../lib/format.js';
import { tickFormatter, tooltipLabel, tooltipStyle, useChartTheme } from './chart-theme.js';

/** One latency line per model, agent or tool. */
export function GroupLatencyChart({ data, groups, bucket }: { data: Record<string, number | null>[]; groups: readonly string[]; bucket: Bucket }) {
  const c = useChartTheme();
  const dot = data.length < 40;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={c.grid} vertical={false} />
        <XAxis dataKey="t" tickFormatter={tickFormatter(bucket)} stroke={c.axis} fontSize={11} minTickGap={24} />
        <YAxis tickFormatter={(v: number) => formatDuration(v)} stroke={c.axis} fontSize={11} width={64} />
        <Tooltip labelFormatter={tooltipLabel} formatter={(v) => (typeof v === 'number' ? formatDuration(v) : String(v))} {...tooltipStyle} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {groups.map((g, i) => (
          <Line key={g} dataKey={g} name={g} stroke={c.series[i % c.series.length]} strokeWidth={2} dot={dot} connectNulls isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

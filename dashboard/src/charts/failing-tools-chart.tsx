import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GroupTotals } from '../lib/analytics-series.js';
import { tooltipStyle, useChartTheme } from './chart-theme.js';

/** Tools with the most failed (or rejected) calls, with their successful calls beside. */
export function FailingToolsChart({ tools }: { tools: readonly GroupTotals[] }) {
  const c = useChartTheme();
  const data = tools.map((t) => ({ tool: t.group, failed: t.errors, ok: t.count - t.errors }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
        <CartesianGrid stroke={c.grid} horizontal={false} />
        <XAxis type="number" allowDecimals={false} stroke={c.axis} fontSize={11} />
        <YAxis type="category" dataKey="tool" width={130} stroke={c.axis} fontSize={11} tickFormatter={(s: string) => (s.length > 18 ? `${s.slice(0, 17)}…` : s)} />
        <Tooltip {...tooltipStyle} cursor={{ fill: c.grid, opacity: 0.5 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="failed" name="failed calls" stackId="t" fill={c.bad} isAnimationActive={false} />
        <Bar dataKey="ok" name="successful calls" stackId="t" fill={c.ok} fillOpacity={0.45} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

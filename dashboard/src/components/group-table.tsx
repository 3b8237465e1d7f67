import type { GroupTotals } from '../lib/analytics-series.js';
import { formatDuration, formatNumber, formatPercent } from '../lib/format.js';

/** Per model/agent/tool: volume, errors, and the worst bucket's latency percentiles. */
export function GroupTable({ rows, dimension }: { rows: readonly GroupTotals[]; dimension: string }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="group-table">
        <thead>
          <tr>
            <th>{dimension}</th>
            <th className="num">Count</th>
            <th className="num">Errors</th>
            <th className="num">Error rate</th>
            <th className="num" title="Percentiles are per time bucket; this is the worst bucket's">
              p50 / p95 / p99 (worst bucket)
            </th>
            <th className="num">Tokens in / out</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.group}>
              <td data-label={dimension} className="mono break">
                {r.group}
              </td>
              <td data-label="Count" className="num">
                {formatNumber(r.count)}
              </td>
              <td data-label="Errors" className="num">
                {formatNumber(r.errors)}
              </td>
              <td data-label="Error rate" className="num">
                {formatPercent(r.errors, r.count)}
              </td>
              <td data-label="p50 / p95 / p99" className="num">
                {formatDuration(r.worstP50)} / {formatDuration(r.worstP95)} / {formatDuration(r.worstP99)}
              </td>
              <td data-label="Tokens" className="num">
                {formatNumber(r.inputTokens)} / {formatNumber(r.outputTokens)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

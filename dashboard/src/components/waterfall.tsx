import type { AuditEvent } from '../api/types.js';
import { formatDuration } from '../lib/format.js';
import { approvalTrail, type Waterfall as Layout } from '../lib/timeline.js';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** Tool calls as bars on the interaction's time axis; approval decisions as marks on their bar. */
export function Waterfall({ layout, eventsByAction }: { layout: Layout; eventsByAction: ReadonlyMap<string, AuditEvent[]> }) {
  const pct = (ms: number) => `${Math.min(100, Math.max(0, (100 * ms) / layout.totalMs))}%`;
  return (
    <div className="waterfall" data-testid="waterfall">
      <div className="wf-row wf-axis" aria-hidden="true">
        <span />
        <div className="wf-track">
          {TICKS.map((t) => (
            <span key={t} className="wf-tick" style={{ left: `${t * 100}%` }}>
              {formatDuration(t * layout.totalMs)}
            </span>
          ))}
        </div>
        <span />
      </div>
      {layout.bars.map((b) => {
        const trail = b.call.actionId ? approvalTrail(eventsByAction.get(b.call.actionId) ?? []) : undefined;
        const decision = trail?.decision;
        return (
          <div className="wf-row" key={b.call.sequence} data-testid="waterfall-bar">
            <a className="wf-label" href={`#tool-${b.call.sequence}`} title={b.call.name}>
              <span className="muted">{b.call.sequence}</span> {b.call.name}
            </a>
            <div className="wf-track">
              <div
                className={`wf-bar wf-${b.call.status}${b.estimated ? ' wf-estimated' : ''}`}
                style={{ left: pct(b.startMs), width: `max(3px, ${pct(b.durationMs)})` }}
                title={`${b.call.name}: ${formatDuration(b.durationMs)} from +${formatDuration(b.startMs)}${b.estimated ? ' (start estimated: no startedAt)' : ''}`}
              />
              {decision ? (
                <span
                  className={`wf-mark ${decision.eventType === 'approval_granted' ? 'wf-mark-ok' : 'wf-mark-bad'}`}
                  style={{ left: pct(Date.parse(decision.timestamp) - layout.t0) }}
                  title={`${decision.eventType === 'approval_granted' ? 'granted' : 'denied'} by ${decision.approver ?? 'unknown'}`}
                />
              ) : null}
            </div>
            <span className="wf-dur">{formatDuration(b.durationMs)}</span>
          </div>
        );
      })}
    </div>
  );
}

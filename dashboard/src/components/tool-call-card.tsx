import type { AuditEvent, ToolCall } from '../api/types.js';
import { formatDuration, formatOffset, formatTime, toDisplayText } from '../lib/format.js';
import { ApprovalTrailView } from './approval-trail-view.js';
import { CollapsibleText } from './collapsible-text.js';
import { StatusBadge } from './status-badge.js';

export function ToolCallCard({ call, events, startMs }: { call: ToolCall; events: readonly AuditEvent[]; startMs: number }) {
  return (
    <article className="step step-tool" id={`tool-${call.sequence}`} data-testid="tool-call">
      <header className="step-head">
        <span className="step-kind">Tool call #{call.sequence}</span>
        <strong className="mono break">{call.name}</strong>
        <StatusBadge status={call.status} />
        <span className="muted small">{formatDuration(call.durationMs)}</span>
        {call.startedAt ? <span className="muted small" title={`started ${formatTime(call.startedAt)} (${call.startedAt})`}>at {formatOffset(call.startedAt, startMs)}</span> : null}
      </header>
      <div className="step-io">
        <CollapsibleText label="Input" text={toDisplayText(call.input) || '(none)'} />
        {call.observation !== undefined ? <CollapsibleText label="Observation" text={toDisplayText(call.observation)} /> : null}
      </div>
      {call.errorMessage ? <CollapsibleText label="Error" text={call.errorMessage} /> : null}
      {call.actionId ? <ApprovalTrailView events={events} actionId={call.actionId} /> : null}
    </article>
  );
}

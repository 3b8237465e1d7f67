import { useState } from 'react';
import type { AuditEvent } from '../api/types.js';
import { formatDuration, formatTime, shortId, toDisplayText } from '../lib/format.js';
import { CollapsibleText } from './collapsible-text.js';
import { Link } from './link.js';
import { StatusBadge } from './status-badge.js';

/** One action event; a click opens its parameters, capability, error and metadata. */
export function EventRow({ event: e }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  const who = e.approver ? `${e.approver}` : e.userId;
  return (
    <>
      <tr className={open ? 'erow erow-open' : 'erow'} data-testid="event-row" data-event-type={e.eventType} onClick={() => setOpen(!open)}>
        <td data-label="Time" title={e.timestamp}>
          {formatTime(e.timestamp)}
        </td>
        <td data-label="Event">
          <StatusBadge status={e.eventType} />
        </td>
        <td data-label="Action">
          <span className="mono break">{e.actionName}</span>
          <div className="muted small mono" title={e.actionId}>
            {shortId(e.actionId)}
          </div>
        </td>
        <td data-label="Who">
          {who}
          <div className="muted small">{e.approver ? 'approver' : e.agentId}</div>
        </td>
        <td data-label="Why" className="why">
          {e.reason ?? e.errorMessage ?? null}
        </td>
        <td data-label="Duration" className="num">
          {e.durationMs ? formatDuration(e.durationMs) : null}
        </td>
        <td>
          <button type="button" className="link-button" aria-expanded={open}>
            {open ? 'Hide' : 'Details'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr className="erow-detail">
          <td colSpan={7}>
            <div className="event-detail">
              <dl className="kv">
                <dt>Event id</dt>
                <dd className="mono break">{e.eventId}</dd>
                <dt>Action id</dt>
                <dd className="mono break">
                  <Link href={`/actions?actionId=${encodeURIComponent(e.actionId)}`}>{e.actionId}</Link>
                </dd>
                {e.interactionId ? (
                  <>
                    <dt>Interaction</dt>
                    <dd>
                      <Link href={`/interactions/${encodeURIComponent(e.interactionId)}`} className="mono break">
                        {e.interactionId}
                      </Link>
                    </dd>
                  </>
                ) : null}
                <dt>Session</dt>
                <dd>
                  <Link href={`/sessions/${encodeURIComponent(e.sessionId)}`} className="mono break">
                    {e.sessionId}
                  </Link>
                </dd>
                <dt>Severity</dt>
                <dd>{e.severity}</dd>
                <dt>Requires approval</dt>
                <dd>{e.requiresApproval ? 'yes' : 'no'}</dd>
                {e.success !== null && e.success !== undefined ? (
                  <>
                    <dt>Success</dt>
                    <dd>{e.success ? 'yes' : 'no'}</dd>
                  </>
                ) : null}
                {e.capabilityType ? (
                  <>
                    <dt>Capability</dt>
                    <dd>{[e.capabilityType, e.capabilitySource, e.capabilityVersion].filter(Boolean).join(' · ')}</dd>
                  </>
                ) : null}
                {e.mcpServerName || e.mcpServerId ? (
                  <>
                    <dt>MCP server</dt>
                    <dd>{[e.mcpServerName, e.mcpServerId].filter(Boolean).join(' · ')}</dd>
                  </>
                ) : null}
              </dl>
              <CollapsibleText label="Parameters" text={toDisplayText(e.actionParams)} />
              {e.errorMessage ? <CollapsibleText label="Error" text={e.errorMessage} /> : null}
              {Object.keys(e.metadata).length > 0 ? <CollapsibleText label="Metadata" text={toDisplayText(e.metadata)} /> : null}
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

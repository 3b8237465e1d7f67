import type { AuditEvent } from '../api/types.js';
import { formatTime } from '../lib/format.js';
import { approvalTrail } from '../lib/timeline.js';
import { Link } from './link.js';
import { StatusBadge } from './status-badge.js';

/** Who was asked, who decided, when, granted or denied, and why; and whether the action was rejected. */
export function ApprovalTrailView({ events, actionId }: { events: readonly AuditEvent[]; actionId: string }) {
  const t = approvalTrail(events);
  if (!t.requested && !t.decision && !t.rejected) return null;
  const granted = t.decision?.eventType === 'approval_granted';
  return (
    <div className="approval" data-testid="approval">
      <div className="approval-head">
        <strong>Approval</strong>
        {t.decision ? <StatusBadge status={granted ? 'granted' : 'denied'} /> : t.requested ? <StatusBadge status="pending" /> : null}
        {t.rejected ? <StatusBadge status="rejected" /> : null}
      </div>
      <dl className="approval-facts">
        {t.requested ? (
          <>
            <dt>Requested</dt>
            <dd title={t.requested.timestamp}>{formatTime(t.requested.timestamp)}</dd>
          </>
        ) : null}
        {t.decision ? (
          <>
            <dt>{granted ? 'Granted by' : 'Denied by'}</dt>
            <dd>
              <span data-testid="approver">{t.decision.approver ?? 'unknown'}</span> <span className="muted" title={t.decision.timestamp}>at {formatTime(t.decision.timestamp)}</span>
            </dd>
            {t.decision.reason ? (
              <>
                <dt>Why</dt>
                <dd className="prewrap">{t.decision.reason}</dd>
              </>
            ) : null}
          </>
        ) : null}
        {t.rejected ? (
          <>
            <dt>Rejected</dt>
            <dd className="prewrap">{t.rejected.reason ?? t.rejected.errorMessage ?? 'no reason given'}</dd>
          </>
        ) : null}
      </dl>
      <Link className="small" href={`/actions?actionId=${encodeURIComponent(actionId)}`}>
        {t.events.length} action events →
      </Link>
    </div>
  );
}

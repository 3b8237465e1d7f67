import type { EventQuery } from '../api/types.js';
import { loadPendingApprovals, PENDING_SCAN_LIMIT } from '../lib/pending-approvals.js';
import { useClient } from '../lib/session-context.js';
import { useApi } from '../lib/use-api.js';
import { EmptyState } from './empty-state.js';
import { ErrorState } from './error-state.js';
import { EventTable } from './event-table.js';
import { Loading } from './loading.js';

/** Approvals still waiting for a decision. */
export function PendingApprovals({ query }: { query: EventQuery }) {
  const client = useClient();
  const { data, error, loading, reload } = useApi(`pending:${JSON.stringify(query)}`, (signal) => loadPendingApprovals(client, query, signal));
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading || !data) return <Loading />;
  if (data.pending.length === 0) {
    return (
      <EmptyState title="No approval is waiting">
        <p className="muted">Every approval request in this range was granted, denied or rejected.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <EventTable events={data.pending} />
      <p className="muted small">
        {data.pending.length} waiting, among the latest {Math.min(data.scanned, PENDING_SCAN_LIMIT)} approval requests in this range.
      </p>
    </>
  );
}

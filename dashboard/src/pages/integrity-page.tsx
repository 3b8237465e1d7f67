import { isApiError } from '../api/api-error.js';
import { CollapsibleText } from '../components/collapsible-text.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorState } from '../components/error-state.js';
import { KeyValues } from '../components/key-values.js';
import { Loading } from '../components/loading.js';
import { VerifyPanel } from '../components/verify-panel.js';
import { toDisplayText } from '../lib/format.js';
import { checkpointList, latestCheckpoint } from '../lib/integrity.js';
import { useClient } from '../lib/session-context.js';
import { useApi } from '../lib/use-api.js';

/** Integrity: the last signed checkpoint of the key's org, and verify on demand. */
export function IntegrityPage() {
  const client = useClient();
  const { data, error, loading, reload } = useApi('checkpoints', (signal) => client.checkpoints(signal));

  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>Integrity</h1>
          <p className="muted">Proof that the audit trail of your org is complete and untouched.</p>
        </div>
      </header>
      {loading ? (
        <Loading />
      ) : isApiError(error, 'not-found') ? (
        <EmptyState title="Integrity is not available on this server">
          <p className="muted" data-testid="integrity-unavailable">
            This server does not offer <code>/v1/verify</code> and <code>/v1/checkpoints</code> (HTTP 404). Upgrade auditrail, or enable the
            integrity chain in the server configuration; until then, <code>auditrail verify</code> runs it from the command line.
          </p>
        </EmptyState>
      ) : error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : (
        <Checkpoints body={data} />
      )}
    </section>
  );
}

function Checkpoints({ body }: { body: unknown }) {
  const list = checkpointList(body);
  const last = latestCheckpoint(list);
  return (
    <>
      <section className="card" data-testid="checkpoint">
        <h2>Last checkpoint</h2>
        {last ? <KeyValues value={last} /> : <p className="muted">No checkpoint yet: the server writes one periodically once records arrive.</p>}
        <p className="muted small">{list.length} checkpoint{list.length === 1 ? '' : 's'} listed.</p>
        <details>
          <summary>Raw answer</summary>
          <CollapsibleText text={toDisplayText(body)} />
        </details>
      </section>
      <VerifyPanel />
    </>
  );
}

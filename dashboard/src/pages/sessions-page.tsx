import { useMemo } from 'react';
import { EmptyState } from '../components/empty-state.js';
import { ErrorState } from '../components/error-state.js';
import { FilterInput } from '../components/filter-input.js';
import { FirstEventHelp } from '../components/first-event-help.js';
import { Link } from '../components/link.js';
import { LoadMore } from '../components/load-more.js';
import { Loading } from '../components/loading.js';
import { TimeRangePicker } from '../components/time-range-picker.js';
import { formatAgo, formatTime } from '../lib/format.js';
import { useClient } from '../lib/session-context.js';
import { resolveRange } from '../lib/time-range.js';
import { usePaged } from '../lib/use-paged.js';
import { useUrlParams } from '../lib/use-url-params.js';

/** Sessions: who (user, client IP, user agent), when, and how many interactions. */
export function SessionsPage() {
  const client = useClient();
  const { params, get, update } = useUrlParams();
  const search = params.toString();
  const query = useMemo(() => {
    const p = new URLSearchParams(search);
    const { from, to } = resolveRange(p, 'all');
    return { from, to, userId: p.get('userId') || undefined, sessionId: p.get('sessionId') || undefined, order: p.get('order') === 'asc' ? ('asc' as const) : ('desc' as const), limit: 50 };
  }, [search]);
  const list = usePaged(JSON.stringify(query), (cursor, signal) => client.sessions({ ...query, cursor }, signal));
  const filtered = Boolean(get('userId') || get('sessionId') || get('range'));

  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>Sessions</h1>
          <p className="muted">Who talked to your agents, from where, and when.</p>
        </div>
      </header>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <div className="filters-main">
          <FilterInput label="User" name="userId" value={get('userId')} placeholder="any user" onCommit={(userId) => update({ userId })} />
          <FilterInput label="Session" name="sessionId" value={get('sessionId')} placeholder="session id" onCommit={(sessionId) => update({ sessionId })} />
          <TimeRangePicker
            value={{ range: get('range') || 'all', from: get('from') || undefined, to: get('to') || undefined }}
            onChange={(r) => update({ range: r.range === 'all' ? undefined : r.range, from: r.from, to: r.to })}
          />
        </div>
      </form>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.loading ? (
        <Loading />
      ) : list.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No session matches these filters" />
        ) : (
          <EmptyState title="No sessions yet">
            <FirstEventHelp />
          </EmptyState>
        )
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="sessions-table">
              <thead>
                <tr>
                  <th>Session</th>
                  <th>User</th>
                  <th>Client</th>
                  <th>First seen</th>
                  <th>Last seen</th>
                  <th className="num">Interactions</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((s) => (
                  <tr key={`${s.orgId}/${s.sessionId}`}>
                    <td data-label="Session">
                      <Link href={`/sessions/${encodeURIComponent(s.sessionId)}`} className="mono break">
                        {s.sessionId}
                      </Link>
                    </td>
                    <td data-label="User">{s.userId ?? '—'}</td>
                    <td data-label="Client">
                      <div className="mono">{s.clientIp ?? '—'}</div>
                      {s.userAgent ? <div className="muted small ellipsis" title={s.userAgent}>{s.userAgent}</div> : null}
                    </td>
                    <td data-label="First seen" title={s.firstSeen}>{formatTime(s.firstSeen)}</td>
                    <td data-label="Last seen" title={s.lastSeen}>{formatAgo(s.lastSeen)}</td>
                    <td data-label="Interactions" className="num">{s.interactionCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore shown={list.items.length} nextCursor={list.nextCursor} loading={list.loadingMore} onMore={list.loadMore} />
        </>
      )}
    </section>
  );
}

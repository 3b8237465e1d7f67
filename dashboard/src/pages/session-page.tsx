import { ErrorState } from '../components/error-state.js';
import { InteractionRow } from '../components/interaction-row.js';
import { Link } from '../components/link.js';
import { LoadMore } from '../components/load-more.js';
import { Loading } from '../components/loading.js';
import { formatTime } from '../lib/format.js';
import { useClient } from '../lib/session-context.js';
import { useApi } from '../lib/use-api.js';
import { usePaged } from '../lib/use-paged.js';

/** One session: who and when, then its interactions in the order they happened. */
export function SessionPage({ id }: { id: string }) {
  const client = useClient();
  const summary = useApi(`session:${id}`, (signal) => client.sessions({ sessionId: id, limit: 1 }, signal));
  const list = usePaged(`session-interactions:${id}`, (cursor, signal) => client.interactions({ sessionId: id, order: 'asc', limit: 100, cursor }, signal));
  const s = summary.data?.items[0];

  return (
    <section className="page">
      <nav className="crumbs">
        <Link href="/sessions">Sessions</Link> / <span className="mono break">{id}</span>
      </nav>
      <header className="card session-head">
        <h1 className="mono break">{id}</h1>
        {summary.error ? <ErrorState error={summary.error} onRetry={summary.reload} /> : null}
        {s ? (
          <dl className="fact-grid">
            <Fact label="User" value={s.userId ?? '—'} />
            <Fact label="Client IP" value={s.clientIp ?? '—'} mono />
            <Fact label="User agent" value={s.userAgent ?? '—'} />
            <Fact label="First seen" value={formatTime(s.firstSeen)} title={s.firstSeen} />
            <Fact label="Last seen" value={formatTime(s.lastSeen)} title={s.lastSeen} />
            <Fact label="Interactions" value={String(s.interactionCount)} />
          </dl>
        ) : null}
      </header>
      <h2>Interactions in order</h2>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.loading ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p className="muted">This session has no interactions (or none your key may read).</p>
      ) : (
        <>
          <div className="itable">
            <ol className="ilist">
              {list.items.map((item, i) => (
                <InteractionRow key={item.interactionId} item={item} index={i} selected={false} fresh={false} />
              ))}
            </ol>
          </div>
          <LoadMore shown={list.items.length} nextCursor={list.nextCursor} loading={list.loadingMore} onMore={list.loadMore} />
        </>
      )}
    </section>
  );
}

function Fact({ label, value, title, mono = false }: { label: string; value: string; title?: string; mono?: boolean }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className={mono ? 'mono break' : 'break'} title={title}>
        {value}
      </dd>
    </div>
  );
}

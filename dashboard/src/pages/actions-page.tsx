import { useEffect, useMemo, useRef } from 'react';
import { EmptyState } from '../components/empty-state.js';
import { ErrorState } from '../components/error-state.js';
import { EventTable } from '../components/event-table.js';
import { FilterInput } from '../components/filter-input.js';
import { FilterPanel } from '../components/filter-panel.js';
import { LoadMore } from '../components/load-more.js';
import { Loading } from '../components/loading.js';
import { PendingApprovals } from '../components/pending-approvals.js';
import { SelectField } from '../components/select-field.js';
import { TimeRangePicker } from '../components/time-range-picker.js';
import { EVENT_TEXT_FILTERS, EVENT_TYPE_OPTIONS, EVENT_VIEWS, eventQueryFromUrl, SUCCESS_OPTIONS } from '../lib/event-filters.js';
import { useClient } from '../lib/session-context.js';
import { usePaged } from '../lib/use-paged.js';
import { useUrlParams } from '../lib/use-url-params.js';

/** The agent id of the access records the server writes about reads of the audit data. */
const SERVER_AGENT_ID = 'auditrail-server';
const MIN_SHOWN = 25;
const MAX_AUTO_PAGES = 10;

/** Actions and approvals: the stream of action events, pending and denied approvals, rejections. */
export function ActionsPage() {
  const { params, get, update } = useUrlParams();
  const search = params.toString();
  const query = useMemo(() => eventQueryFromUrl(new URLSearchParams(search)), [search]);
  const view = get('view') || 'all';

  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>Actions &amp; approvals</h1>
          <p className="muted">Every action your agents started, who approved it, and what was refused.</p>
        </div>
      </header>
      <nav className="tabs" aria-label="Views">
        {EVENT_VIEWS.map((v) => (
          <button key={v.id} type="button" className={v.id === view ? 'tab tab-on' : 'tab'} aria-pressed={v.id === view} onClick={() => update({ view: v.id === 'all' ? undefined : v.id, eventTypes: undefined })}>
            {v.label}
          </button>
        ))}
      </nav>
      <FilterPanel
        activeDims={EVENT_TEXT_FILTERS.filter((f) => get(f.name)).length}
        main={
          <>
          <TimeRangePicker
            value={{ range: get('range') || 'all', from: get('from') || undefined, to: get('to') || undefined }}
            onChange={(r) => update({ range: r.range === 'all' ? undefined : r.range, from: r.from, to: r.to })}
          />
          {view === 'all' ? <SelectField label="Event type" name="eventTypes" value={get('eventTypes')} options={EVENT_TYPE_OPTIONS} onChange={(eventTypes) => update({ eventTypes })} /> : null}
          <SelectField label="Outcome" name="success" value={get('success')} options={SUCCESS_OPTIONS} onChange={(success) => update({ success })} />
          </>
        }
        dims={EVENT_TEXT_FILTERS.map((f) => (
          <FilterInput key={f.name} label={f.label} name={f.name} value={get(f.name)} placeholder={f.placeholder} onCommit={(v) => update({ [f.name]: v })} />
        ))}
      />
      {view === 'all' ? (
        <label className="check">
          <input type="checkbox" checked={get('access') === '1'} onChange={(e) => update({ access: e.target.checked ? '1' : undefined })} />
          Include the server&apos;s own access records (every query of the audit data is itself audited)
        </label>
      ) : null}
      {view === 'pending' ? <PendingApprovals query={query} /> : <EventStream query={query} includeAccess={view !== 'all' || get('access') === '1' || query.agentId === SERVER_AGENT_ID} />}
    </section>
  );
}

function EventStream({ query, includeAccess }: { query: ReturnType<typeof eventQueryFromUrl>; includeAccess: boolean }) {
  const client = useClient();
  const key = JSON.stringify(query);
  const list = usePaged(key, (cursor, signal) => client.events({ ...query, cursor }, signal));
  const shown = includeAccess ? list.items : list.items.filter((e) => e.agentId !== SERVER_AGENT_ID);
  const hidden = list.items.length - shown.length;
  // Every read of the audit data is itself recorded: when those records fill the first pages,
  // read on (a bounded number of pages) until there is something to show.
  const autoPages = useRef({ key, pages: 0 });
  if (autoPages.current.key !== key) autoPages.current = { key, pages: 0 };
  useEffect(() => {
    if (includeAccess || list.loading || list.loadingMore || list.error || !list.nextCursor) return;
    if (shown.length >= MIN_SHOWN || autoPages.current.pages >= MAX_AUTO_PAGES) return;
    autoPages.current.pages++;
    list.loadMore();
  });
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (list.loading || (shown.length === 0 && list.loadingMore)) return <Loading />;
  if (shown.length === 0 && list.nextCursor) {
    return (
      <EmptyState title="Only the server's access records so far">
        <p className="muted">{hidden} access records hidden on the pages read so far.</p>
        <LoadMore shown={0} nextCursor={list.nextCursor} loading={list.loadingMore} onMore={list.loadMore} />
      </EmptyState>
    );
  }
  if (shown.length === 0) {
    return (
      <EmptyState title="No action events match">
        <p className="muted">
          Action events come from the audited action executor (<code>createActionExecutor</code>) or from <code>audit.actionStarted()</code> and the
          other action methods of the SDK.
        </p>
      </EmptyState>
    );
  }
  return (
    <>
      <EventTable events={shown} />
      {hidden > 0 ? <p className="muted small">{hidden} of the server&apos;s own access records hidden.</p> : null}
      <LoadMore shown={shown.length} nextCursor={list.nextCursor} loading={list.loadingMore} onMore={list.loadMore} />
    </>
  );
}

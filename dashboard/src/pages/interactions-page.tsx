import { useCallback, useMemo, useRef, useState } from 'react';
import { EmptyState } from '../components/empty-state.js';
import { ErrorState } from '../components/error-state.js';
import { FirstEventHelp } from '../components/first-event-help.js';
import { InteractionFilters } from '../components/interaction-filters.js';
import { InteractionTable } from '../components/interaction-table.js';
import { LiveToggle } from '../components/live-toggle.js';
import { Loading } from '../components/loading.js';
import { hasFilters, interactionQueryFromUrl, orderOf } from '../lib/interaction-filters.js';
import { navigate } from '../lib/router.js';
import { useClient } from '../lib/session-context.js';
import { useInteractionList } from '../lib/use-interaction-list.js';
import { useListKeyboard } from '../lib/use-list-keyboard.js';
import { useUrlParams } from '../lib/use-url-params.js';

// Each poll is a read, and reads are audited: often enough to feel live, no more.
const POLL_MS = 3000;

/** Interactions: filters for every dimension, keyset "load more", live mode, j/k/Enter. */
export function InteractionsPage() {
  const client = useClient();
  const { params, get, update } = useUrlParams();
  const search = params.toString();
  const [refresh, setRefresh] = useState(0);
  // The range presets are relative to now: resolved when the URL changes or on refresh.
  const query = useMemo(() => interactionQueryFromUrl(new URLSearchParams(search)), [search, refresh]);
  const live = get('live') === '1';
  const list = useInteractionList(client, query, live, POLL_MS);
  const searchRef = useRef<HTMLInputElement>(null);

  const open = useCallback((i: number) => {
    const item = list.items[i];
    if (item) navigate(`/interactions/${encodeURIComponent(item.interactionId)}`);
  }, [list.items]);
  const focusSearch = useCallback(() => searchRef.current?.focus(), []);
  const selected = useListKeyboard(list.items.length, open, focusSearch);
  const order = orderOf(params);

  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>Interactions</h1>
          <p className="muted">What your agents were asked, what they did and answered.</p>
        </div>
        <div className="row-gap">
          <LiveToggle live={live} lastPollAt={list.lastPollAt} onChange={(on) => update({ live: on ? '1' : undefined, order: on ? undefined : get('order') })} />
          <button type="button" className="button" onClick={() => { setRefresh((r) => r + 1); list.reload(); }}>
            Refresh
          </button>
        </div>
      </header>
      <InteractionFilters get={get} update={update} items={list.items} searchRef={searchRef} />
      {list.gap ? (
        <div className="notice">
          More new interactions arrived than one page holds.{' '}
          <button type="button" className="link-button" onClick={list.reload}>
            Reload the list
          </button>
        </div>
      ) : null}
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.loading && list.items.length === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        hasFilters(params) ? (
          <EmptyState title="No interaction matches these filters">
            <p>Widen the time range or clear a filter.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No interactions recorded yet">
            <FirstEventHelp />
          </EmptyState>
        )
      ) : (
        <>
          <InteractionTable items={list.items} selected={selected} fresh={list.fresh} order={order} onOrder={(o) => update({ order: o === 'desc' ? undefined : o, live: undefined })} />
          <footer className="list-foot">
            <span className="muted small" data-testid="list-count">
              {list.items.length} shown{list.nextCursor ? '' : ' · end of list'}
            </span>
            {list.nextCursor ? (
              <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
            <span className="muted small kbd-help">
              <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>/</kbd> search
            </span>
          </footer>
        </>
      )}
    </section>
  );
}

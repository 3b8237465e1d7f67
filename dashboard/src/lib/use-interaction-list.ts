import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client.js';
import type { Interaction, InteractionQuery } from '../api/types.js';

export interface InteractionList {
  readonly items: readonly Interaction[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly loadingMore: boolean;
  readonly error: unknown;
  /** Ids that arrived through live polling, for a brief highlight. */
  readonly fresh: ReadonlySet<string>;
  /** Live polling saw a full page of new items: some may be missing until a reload. */
  readonly gap: boolean;
  readonly lastPollAt: number | null;
  readonly loadMore: () => void;
  readonly reload: () => void;
}

/**
 * A keyset-paginated list of interactions: the first page on every query change, "load more"
 * with the cursor, and in live mode a poll of the first page that prepends what is new.
 */
export function useInteractionList(client: ApiClient, query: InteractionQuery, live: boolean, pollMs: number): InteractionList {
  const key = JSON.stringify(query);
  const [state, setState] = useState({ items: [] as Interaction[], nextCursor: null as string | null, loading: true, error: undefined as unknown, gap: false });
  const [loadingMore, setLoadingMore] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [lastPollAt, setLastPollAt] = useState<number | null>(null);
  const [generation, setGeneration] = useState(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  const itemsRef = useRef<Interaction[]>([]);
  itemsRef.current = state.items;

  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    client.interactions(queryRef.current, ctl.signal).then(
      (page) => {
        if (ctl.signal.aborted) return;
        setState({ items: page.items, nextCursor: page.nextCursor, loading: false, error: undefined, gap: false });
        setFresh(new Set());
      },
      (error: unknown) => {
        if (!ctl.signal.aborted) setState({ items: [], nextCursor: null, loading: false, error, gap: false });
      },
    );
    return () => ctl.abort();
  }, [client, key, generation]);

  useEffect(() => {
    if (!live || query.order === 'asc') return;
    let stopped = false;
    let ctl: AbortController | undefined;
    const poll = async () => {
      if (document.hidden) return;
      ctl = new AbortController();
      try {
        const page = await client.interactions({ ...queryRef.current, cursor: undefined }, ctl.signal);
        if (stopped) return;
        setLastPollAt(Date.now());
        const known = new Set(itemsRef.current.map((i) => i.interactionId));
        const added = page.items.filter((i) => !known.has(i.interactionId));
        if (added.length === 0) return;
        const overlap = added.length < page.items.length;
        setState((s) => ({ ...s, items: [...added, ...s.items], gap: s.gap || (!overlap && s.items.length > 0 && page.nextCursor !== null) }));
        setFresh(new Set(added.map((i) => i.interactionId)));
      } catch {
        // a failed poll is retried at the next tick; the list keeps what it has
      }
    };
    const timer = window.setInterval(() => void poll(), pollMs);
    void poll();
    return () => {
      stopped = true;
      ctl?.abort();
      window.clearInterval(timer);
    };
  }, [client, key, live, pollMs, query.order]);

  const loadMore = useCallback(() => {
    if (!state.nextCursor || loadingMore) return;
    setLoadingMore(true);
    client.interactions({ ...queryRef.current, cursor: state.nextCursor }).then(
      (page) => {
        setState((s) => {
          const known = new Set(s.items.map((i) => i.interactionId));
          return { ...s, items: [...s.items, ...page.items.filter((i) => !known.has(i.interactionId))], nextCursor: page.nextCursor };
        });
        setLoadingMore(false);
      },
      (error: unknown) => {
        setState((s) => ({ ...s, error }));
        setLoadingMore(false);
      },
    );
  }, [client, state.nextCursor, loadingMore]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, loadingMore, fresh, lastPollAt, loadMore, reload };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/types.js';

export interface Paged<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly loadingMore: boolean;
  readonly error: unknown;
  readonly loadMore: () => void;
  readonly reload: () => void;
}

/** A keyset-paginated list: the first page whenever `key` changes, then "load more" by cursor. */
export function usePaged<T>(key: string, fetchPage: (cursor: string | undefined, signal?: AbortSignal) => Promise<Page<T>>): Paged<T> {
  const [state, setState] = useState({ items: [] as T[], nextCursor: null as string | null, loading: true, error: undefined as unknown });
  const [loadingMore, setLoadingMore] = useState(false);
  const [generation, setGeneration] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    fetchRef.current(undefined, ctl.signal).then(
      (page) => {
        if (!ctl.signal.aborted) setState({ items: page.items, nextCursor: page.nextCursor, loading: false, error: undefined });
      },
      (error: unknown) => {
        if (!ctl.signal.aborted) setState({ items: [], nextCursor: null, loading: false, error });
      },
    );
    return () => ctl.abort();
  }, [key, generation]);

  const loadMore = useCallback(() => {
    if (!state.nextCursor || loadingMore) return;
    setLoadingMore(true);
    fetchRef.current(state.nextCursor).then(
      (page) => {
        setState((s) => ({ ...s, items: [...s.items, ...page.items], nextCursor: page.nextCursor }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        setState((s) => ({ ...s, error }));
        setLoadingMore(false);
      },
    );
  }, [state.nextCursor, loadingMore]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, loadingMore, loadMore, reload };
}

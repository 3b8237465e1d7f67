import { useCallback } from 'react';
import { navigate, useLocation } from './router.js';

/**
 * The state of a list view lives in its URL, so that a filtered view can be bookmarked and shared.
 * `update` merges a patch (empty values are dropped) and replaces the history entry.
 */
export function useUrlParams(): { params: URLSearchParams; get: (name: string) => string; update: (patch: Record<string, string | undefined>) => void } {
  const { path, search } = useLocation();
  const get = useCallback((name: string) => search.get(name) ?? '', [search]);
  const update = useCallback(
    (patch: Record<string, string | undefined>) => {
      const next = new URLSearchParams(search);
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || v === '') next.delete(k);
        else next.set(k, v);
      }
      const q = next.toString();
      navigate(q ? `${path}?${q}` : path, { replace: true });
    },
    [path, search],
  );
  return { params: search, get, update };
}

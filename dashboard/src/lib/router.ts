import { useSyncExternalStore } from 'react';

/** A tiny history-API router: the server answers index.html for every dashboard path. */
export interface Location {
  readonly path: string;
  readonly search: URLSearchParams;
}

const listeners = new Set<() => void>();
let snapshot = read();

function read(): Location & { href: string } {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search), href: window.location.href };
}

function emit(): void {
  if (snapshot.href === window.location.href) return;
  snapshot = read();
  for (const l of listeners) l();
}

window.addEventListener('popstate', emit);

export function useLocation(): Location {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => snapshot,
  );
}

/** Goes to `to` (a path with an optional query). `replace` keeps the history entry (filter typing). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  emit();
  if (!options.replace) window.scrollTo(0, 0);
}

/** Builds `path?query` from a record, leaving out empty values. */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') sp.set(k, v);
  const q = sp.toString();
  return q ? `${path}?${q}` : path;
}

/** Matches `/interactions/:id`-style patterns; returns the decoded params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const a = path.split('/').filter(Boolean);
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    const val = a[i]!;
    if (seg.startsWith(':')) out[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return null;
  }
  return out;
}

/**
 * A route pattern: an exact path ('/api/execute'), a path with `:name` segments
 * ('/api/clusters/:id/diagnose'), a prefix ending in `/*` ('/api/agent/*'), or a RegExp tested
 * against the path (no query string).
 */
export type RoutePattern = string | RegExp;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(pattern: RoutePattern): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const prefix = pattern.endsWith('/*');
  const body = (prefix ? pattern.slice(0, -2) : pattern)
    .split('/')
    .map((segment) => (segment.startsWith(':') && segment.length > 1 ? '[^/]+' : escape(segment)))
    .join('/');
  return new RegExp(`^${body}${prefix ? '(?:/.*)?' : ''}$`);
}

/** True when a route pattern is well formed (strings start with '/'). */
export function isRoutePattern(v: unknown): v is RoutePattern {
  return v instanceof RegExp || (typeof v === 'string' && v.startsWith('/'));
}

/** Compiles the patterns once; the matcher tests a path without its query string. */
export function createRouteMatcher(patterns: readonly RoutePattern[]): (path: string) => boolean {
  const compiled = patterns.map(compile);
  if (compiled.length === 0) return () => false;
  return (path) => {
    const q = path.indexOf('?');
    const bare = q === -1 ? path : path.slice(0, q);
    for (const re of compiled) {
      re.lastIndex = 0;
      if (re.test(bare)) return true;
    }
    return false;
  };
}

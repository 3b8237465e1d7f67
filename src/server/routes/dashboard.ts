import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import '../http/request-context.js';
import { parseOptions } from '../options.js';

/** src/server/routes (or dist/server/routes) → the package root's dashboard/dist. */
const DEFAULT_ROOT = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

/**
 * The client-side routes of the dashboard (dashboard/src/routes.tsx): each answers index.html.
 * Listed rather than a catch-all, so that unknown paths, /v1/* included, keep the server's own
 * authenticated 404.
 */
export const DASHBOARD_PAGES = ['/', '/interactions', '/interactions/:id', '/sessions', '/sessions/:id', '/actions', '/analytics', '/integrity'] as const;

const DashboardRoutesOptionsSchema = z
  .object({
    /** The built dashboard (`npm run build:dashboard`); default: the package's dashboard/dist. */
    root: z.string().min(1).default(DEFAULT_ROOT),
    /** Compress text assets for clients that accept gzip (kept in memory: the bundle is small). */
    gzip: z.boolean().default(true),
  })
  .strict();
export type DashboardRoutesOptions = z.input<typeof DashboardRoutesOptionsSchema>;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

/** The page talks only to its own origin; React renders text, so no inline script is ever needed. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>auditrail</title>
<body style="font:16px system-ui;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>The dashboard is not built</h1>
<p>Run <code>npm run build:dashboard</code> in the auditrail folder, then reload this page.
The API under <code>/v1</code> works without it.</p></body>`;

/**
 * Serves the built dashboard (a single-page app) without an API key: its files under /assets
 * with long-lived caching, and index.html for every dashboard page. Nothing outside the root is
 * ever read: paths are resolved, then checked (after symlinks) to stay inside it.
 */
export function dashboardRoutes(options: DashboardRoutesOptions = {}) {
  const o = parseOptions(DashboardRoutesOptionsSchema, options, 'dashboard routes');
  const root = resolve(o.root);
  const gzipCache = new Map<string, { mtimeMs: number; body: Buffer }>();

  async function sendFile(request: FastifyRequest, reply: FastifyReply, relative: string, cacheControl: string): Promise<FastifyReply | null> {
    const file = await insideRoot(root, relative);
    if (file === null) return null;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const ext = extname(file).toLowerCase();
    void reply
      .type(CONTENT_TYPES[ext] ?? 'application/octet-stream')
      .header('cache-control', cacheControl)
      .header('x-content-type-options', 'nosniff')
      .header('last-modified', info.mtime.toUTCString());
    if (ext === '.html') void reply.header('content-security-policy', CSP).header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
    if (o.gzip && COMPRESSIBLE.has(ext) && info.size > 1024) {
      void reply.header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
        let cached = gzipCache.get(file);
        if (cached?.mtimeMs !== info.mtimeMs) {
          cached = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(file)) };
          gzipCache.set(file, cached);
        }
        return reply.header('content-encoding', 'gzip').header('content-length', cached.body.length).send(cached.body);
      }
    }
    return reply.header('content-length', info.size).send(createReadStream(file));
  }

  const page = async (request: FastifyRequest, reply: FastifyReply) =>
    (await sendFile(request, reply, 'index.html', 'no-cache')) ??
    reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);

  const file = (dir: string, cacheControl: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const rest = (request.params as Record<string, string | undefined>)['*'] ?? '';
    return (await sendFile(request, reply, `${dir}${rest}`, cacheControl)) ?? reply.callNotFound();
  };

  return (app: FastifyInstance): void => {
    const pub = { config: { public: true } };
    for (const url of DASHBOARD_PAGES) app.get(url, pub, page);
    // Vite's hashed bundles: a new build gets new names, so they may be cached for good.
    app.get('/assets/*', pub, file('assets/', 'public, max-age=31536000, immutable'));
    app.get('/favicon.svg', pub, async (request, reply) => (await sendFile(request, reply, 'favicon.svg', 'public, max-age=86400')) ?? reply.callNotFound());
  };
}

/** The absolute path of `relative` under root, or null if it would leave root (`..`, symlinks, NUL). */
async function insideRoot(root: string, relative: string): Promise<string | null> {
  if (relative.includes('\0')) return null;
  const candidate = resolve(root, `.${sep}${relative}`);
  if (!candidate.startsWith(root + sep)) return null;
  try {
    const [real, realRoot] = await Promise.all([realpath(candidate), realpath(root)]);
    return real.startsWith(realRoot + sep) ? real : null;
  } catch {
    return null;
  }
}

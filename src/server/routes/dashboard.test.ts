import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../../core/errors.js';
import { dashboardRoutes } from './dashboard.js';

describe('dashboard routes', () => {
  let dir: string;
  let root: string;
  let app: FastifyInstance;
  const bundle = `console.log(${JSON.stringify('x'.repeat(5000))});`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditrail-dashboard-'));
    root = join(dir, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(root, 'assets', 'index-abc.js'), bundle);
    await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(dir, 'secret.txt'), 'outside the root');
    await symlink(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'));
    app = Fastify();
    app.setNotFoundHandler((_req, reply) => reply.code(404).send({ code: 'AUDITRAIL_ERR_NOT_FOUND' }));
    await app.register(dashboardRoutes({ root }));
  });

  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers index.html for every client-side route, uncached and with a strict CSP', async () => {
    for (const url of ['/', '/interactions', '/interactions/0192f1c2-aaaa', '/sessions/s-1?x=1', '/actions', '/analytics', '/integrity']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with their content type and an immutable cache', async () => {
    const css = await app.inject({ url: '/assets/index-abc.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('immutable');
    expect(css.body).toBe('body{}');
    const svg = await app.inject({ url: '/favicon.svg' });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
  });

  it('gzips text assets for clients that accept it, and not for others', async () => {
    const zipped = await app.inject({ url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(bundle);
    const plain = await app.inject({ url: '/assets/index-abc.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(bundle);
  });

  it('never serves a file outside the root', async () => {
    for (const url of ['/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/../../secret.txt', '/assets/link.txt', '/assets/%00index-abc.js']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('outside the root');
    }
  });

  it('leaves unknown paths, the API included, to the server’s 404', async () => {
    for (const url of ['/v1/nothing', '/nope', '/assets/missing.js', '/interactions/a/b']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ code: 'AUDITRAIL_ERR_NOT_FOUND' });
    }
  });

  it('says how to build the dashboard when it is not built', async () => {
    const bare = Fastify();
    await bare.register(dashboardRoutes({ root: join(dir, 'missing') }));
    const res = await bare.inject({ url: '/interactions' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:dashboard');
    await bare.close();
  });

  it('rejects bad options listing the problem', () => {
    let caught: unknown;
    try {
      dashboardRoutes({ root: '' });
    } catch (err) {
      caught = err;
    }
    expect(isAuditrailError(caught, 'OPTIONS_INVALID')).toBe(true);
    expect(String(caught)).toContain('root');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { CreatedKeySchema } from '../openapi/response-schemas.js';
import { sampleEvent } from '../test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';
import { hashToken } from './api-key.js';

let t: TestServer;
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

const whoami = (headers: Record<string, string>) => t.server.app.inject({ method: 'GET', url: '/v1/whoami', headers });

describe('API key authentication', () => {
  it('refuses requests without a key, with a malformed key, or an unknown one', async () => {
    t = await startTestServer();
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nope' }, { authorization: `Bearer atr_0123456789abcdef_${'A'.repeat(43)}` }, { authorization: 'Basic abc' }]) {
      const res = await whoami(headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="auditrail"');
      expect(res.json()).toMatchObject({ code: 'AUDITRAIL_ERR_UNAUTHENTICATED' });
    }
  });

  it('accepts Authorization: Bearer and x-api-key, and tells the caller its org and scopes', async () => {
    t = await startTestServer();
    expect((await whoami(bearer(t.keyA))).json()).toMatchObject({ orgId: 'org_a', scopes: ['ingest', 'read', 'admin'] });
    expect((await whoami({ 'x-api-key': t.keyB })).json()).toMatchObject({ orgId: 'org_b' });
  });

  it('authenticates unknown routes too, so probing without a key learns nothing', async () => {
    t = await startTestServer();
    expect((await t.server.app.inject({ method: 'GET', url: '/v1/secret-admin' })).statusCode).toBe(401);
    const known = await t.server.app.inject({ method: 'GET', url: '/v1/secret-admin', headers: bearer(t.keyA) });
    expect(known.statusCode).toBe(404);
    expect(known.json()).toMatchObject({ code: 'AUDITRAIL_ERR_NOT_FOUND' });
  });

  it('stores only a hash of each key', async () => {
    t = await startTestServer();
    const keyId = (await t.keyStore.list('org_a'))[0]!.keyId;
    const stored = await t.keyStore.find(keyId);
    expect(stored!.hash).toBe(hashToken(t.keyA));
    // atr_<id>_<secret>: the secret itself may contain '_'
    expect(JSON.stringify(stored)).not.toContain(t.keyA.split('_').slice(2).join('_'));
  });

  it('creates a key shown once, lists keys without secrets, and revokes a key so that it stops working', async () => {
    t = await startTestServer();
    const created = await t.server.app.inject({ method: 'POST', url: '/v1/keys', headers: bearer(t.keyA), payload: { scopes: ['read'], label: 'dashboard' } });
    expect(created.statusCode).toBe(201);
    const key = CreatedKeySchema.parse(created.json());
    expect(key).toMatchObject({ orgId: 'org_a', scopes: ['read'], label: 'dashboard', revokedAt: null });
    expect((await whoami(bearer(key.token))).statusCode).toBe(200);
    const list = await t.server.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(t.keyA) });
    expect(list.body).toContain(key.keyId);
    expect(list.body).not.toContain(key.token);
    expect(list.body).not.toContain('hash');
    const revoked = await t.server.app.inject({ method: 'DELETE', url: `/v1/keys/${key.keyId}`, headers: bearer(t.keyA) });
    expect(revoked.json()).toEqual({ keyId: key.keyId, revoked: true });
    expect((await whoami(bearer(key.token))).statusCode).toBe(401);
    expect((await t.server.app.inject({ method: 'DELETE', url: `/v1/keys/${key.keyId}`, headers: bearer(t.keyA) })).statusCode).toBe(404);
  });

  it('refuses a key without the route scope, and a bad create request', async () => {
    t = await startTestServer();
    const ingestOnly = await t.key('org_a', ['ingest']);
    for (const [method, url] of [['GET', '/v1/interactions'], ['GET', '/v1/export'], ['GET', '/v1/keys'], ['POST', '/v1/keys']] as const) {
      const res = await t.server.app.inject({ method, url, headers: bearer(ingestOnly), ...(method === 'POST' ? { payload: { scopes: ['read'] } } : {}) });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ code: 'AUDITRAIL_ERR_SCOPE_MISSING' });
    }
    const bad = await t.server.app.inject({ method: 'POST', url: '/v1/keys', headers: bearer(t.keyA), payload: { scopes: ['root'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'AUDITRAIL_ERR_REQUEST_INVALID' });
    const poisoned = await t.server.app.inject({ method: 'POST', url: '/v1/keys', headers: { ...bearer(t.keyA), 'content-type': 'application/json' }, payload: '{"scopes":["read"],"__proto__":{"x":1}}' });
    expect(poisoned.statusCode).toBe(400);
    expect(poisoned.json()).toMatchObject({ code: 'AUDITRAIL_ERR_BODY_FORBIDDEN_KEY' });
  });

  it('limits requests per key with a token bucket: 429 with Retry-After, other keys unaffected, refilled over time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    t = await startTestServer({ env: { AUDITRAIL_RATE_LIMIT_ENABLED: 'true', AUDITRAIL_RATE_LIMIT_REQUESTS_PER_SECOND: '2', AUDITRAIL_RATE_LIMIT_BURST: '3' } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await whoami(bearer(t.keyA))).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await t.server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(t.keyA), payload: [sampleEvent()] });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json()).toMatchObject({ code: 'AUDITRAIL_ERR_RATE_LIMITED' });
    expect((await whoami(bearer(t.keyB))).statusCode).toBe(200);
    vi.advanceTimersByTime(1000);
    expect((await whoami(bearer(t.keyA))).statusCode).toBe(200);
  });
});

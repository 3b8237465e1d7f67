import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecordOrThrow } from '../../core/record.js';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';
import { sampleEvent, sampleInteraction } from '../test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';

let t: TestServer;
const secret = 'org-a-secret-question';
const ia = sampleInteraction({ orgId: 'org_a', sessionId: 'shared-session', question: secret, timestamp: '2026-04-01T10:00:00.000Z' });
const ea = sampleEvent({ orgId: 'org_a', sessionId: 'shared-session', interactionId: ia.interactionId, timestamp: '2026-04-01T10:00:01.000Z' });
const ib = sampleInteraction({ orgId: 'org_b', sessionId: 'b-session', question: 'org b question', timestamp: '2026-04-01T10:00:00.000Z' });

beforeEach(async () => {
  t = await startTestServer();
  await t.storage.append([ia, ea, ib].map((r) => parseRecordOrThrow(r)));
});
afterEach(async () => {
  await t.close();
});

/** Every GET route of the API that reads org data, from the OpenAPI document (so a new route is covered). */
function readPaths(): string[] {
  const doc = buildOpenApiDocument('test') as { paths: Record<string, Record<string, { description?: string }>> };
  return Object.entries(doc.paths)
    .filter(([, ops]) => ops.get?.description?.includes('scope'))
    .map(([path]) => path);
}

const idFor: Record<string, string> = {
  '/v1/events/{id}': ea.eventId,
  '/v1/interactions/{id}': ia.interactionId,
  '/v1/sessions/{id}': 'shared-session',
  '/v1/keys/{id}': 'x',
  '/v1/proofs/{id}': ea.eventId,
};
const extra: Record<string, string> = {
  '/v1/analytics': '?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&groupBy=model',
  '/v1/export': '?format=jsonl',
};

describe('tenant isolation', () => {
  it('covers every read endpoint', () => {
    expect(readPaths().sort()).toEqual(['/v1/analytics', '/v1/chain', '/v1/checkpoints', '/v1/proofs/{id}', '/v1/verify', '/v1/events', '/v1/events/count', '/v1/interactions/count', '/v1/events/{id}', '/v1/export', '/v1/interactions', '/v1/interactions/{id}', '/v1/keys', '/v1/sessions', '/v1/sessions/{id}'].sort());
  });

  it("never returns another org's data from any read endpoint", async () => {
    for (const path of readPaths()) {
      const url = path.replace('{id}', idFor[path] ?? 'x') + (extra[path] ?? '');
      const res = await t.server.app.inject({ method: 'GET', url, headers: bearer(t.keyB) });
      expect([200, 404], `${url} -> ${res.statusCode}`).toContain(res.statusCode);
      // a 404 may echo the id the caller sent; nothing else of org_a may appear
      const body = res.statusCode === 404 ? res.body.replace(idFor[path] ?? '\u0000', '') : res.body;
      for (const leak of [secret, ia.interactionId, ea.eventId, 'org_a']) expect(body, `${url} leaked ${leak}`).not.toContain(leak);
    }
  });

  it('answers 404 for the ids of another org, exactly as for ids that do not exist', async () => {
    for (const url of [`/v1/interactions/${ia.interactionId}`, `/v1/events/${ea.eventId}`, '/v1/sessions/shared-session']) {
      const res = await t.server.app.inject({ method: 'GET', url, headers: bearer(t.keyB) });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('refuses a query that names another org', async () => {
    for (const url of ['/v1/interactions?orgId=org_a', '/v1/events?orgId=org_a', '/v1/sessions?orgId=org_a', '/v1/export?orgId=org_a', '/v1/analytics?orgId=org_a&from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z']) {
      const res = await t.server.app.inject({ method: 'GET', url, headers: bearer(t.keyB) });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ code: 'AUDITRAIL_ERR_ORG_MISMATCH' });
    }
  });

  it("sees its own org's data through the same endpoints (the isolation test is not vacuous)", async () => {
    const res = await t.server.app.inject({ method: 'GET', url: '/v1/export?format=jsonl', headers: bearer(t.keyA) });
    expect(res.body).toContain(secret);
    const own = await t.server.app.inject({ method: 'GET', url: `/v1/interactions/${ib.interactionId}`, headers: bearer(t.keyB) });
    expect(own.statusCode).toBe(200);
  });

  it("cannot revoke or list another org's keys", async () => {
    const keyOfA = (await t.keyStore.list('org_a'))[0]!.keyId;
    const revoke = await t.server.app.inject({ method: 'DELETE', url: `/v1/keys/${keyOfA}`, headers: bearer(t.keyB) });
    expect(revoke.statusCode).toBe(404);
    const list = await t.server.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(t.keyB) });
    expect(list.body).not.toContain(keyOfA);
    expect((await t.server.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(t.keyA) })).statusCode).toBe(200);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../core/query.js';
import { parseRecordOrThrow } from '../../core/record.js';
import { AnalyticsResponseSchema, EventPageSchema, InteractionDetailSchema, InteractionPageSchema, SessionDetailSchema, SessionPageSchema } from '../openapi/response-schemas.js';
import { SERVER_AGENT_ID } from '../tenancy/access-audit.js';
import { sampleEvent, sampleInteraction } from '../test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';

let t: TestServer;
const q1 = sampleInteraction({ sessionId: 'sess-x', model: 'gpt-4o', status: 'success', question: 'restart the payments pod', timestamp: '2026-03-02T10:00:00.000Z' });
const q2 = sampleInteraction({ sessionId: 'sess-x', model: 'claude', status: 'error', question: '支付服务为什么重启', finalAnswer: '内存不足', timestamp: '2026-03-02T10:05:00.000Z' });
const q3 = sampleInteraction({ sessionId: 'sess-y', model: 'gpt-4o', status: 'success', question: 'list nodes', userId: 'bob', timestamp: '2026-03-02T11:00:00.000Z' });
const ev = sampleEvent({ eventType: 'approval_denied', interactionId: q2.interactionId, actionName: 'kubectl_delete', success: false, timestamp: '2026-03-02T10:05:01.000Z' });

beforeEach(async () => {
  t = await startTestServer();
  await t.storage.append([q1, q2, q3, ev].map((r) => parseRecordOrThrow(r)));
});
afterEach(async () => {
  await t.close();
});

const get = (url: string, token = t.keyA) => t.server.app.inject({ method: 'GET', url, headers: bearer(token) });

describe('query API', () => {
  it('lists interactions with their children, filtered by every dimension given', async () => {
    const all = InteractionPageSchema.parse((await get('/v1/interactions')).json());
    expect(all.items.map((i) => i.interactionId)).toEqual([q3.interactionId, q2.interactionId, q1.interactionId]);
    expect(all.items[0]!.toolCalls[0]!.name).toBe('kubectl_describe');
    const filtered = InteractionPageSchema.parse((await get('/v1/interactions?model=gpt-4o&status=success&sessionId=sess-x')).json());
    expect(filtered.items.map((i) => i.interactionId)).toEqual([q1.interactionId]);
    const byTime = InteractionPageSchema.parse((await get('/v1/interactions?from=2026-03-02T10:01:00Z&to=2026-03-02T11:00:00Z')).json());
    expect(byTime.items.map((i) => i.interactionId)).toEqual([q2.interactionId]);
    const byUser = InteractionPageSchema.parse((await get('/v1/interactions?userId=bob&order=asc')).json());
    expect(byUser.items.map((i) => i.interactionId)).toEqual([q3.interactionId]);
  });

  it('searches questions and answers, Chinese included', async () => {
    const zh = InteractionPageSchema.parse((await get(`/v1/interactions?search=${encodeURIComponent('内存')}`)).json());
    expect(zh.items.map((i) => i.interactionId)).toEqual([q2.interactionId]);
    const en = InteractionPageSchema.parse((await get('/v1/interactions?search=payments%20pod')).json());
    expect(en.items.map((i) => i.interactionId)).toEqual([q1.interactionId]);
  });

  it('pages with a keyset cursor through every record exactly once', async () => {
    const seen: string[] = [];
    let url = '/v1/interactions?limit=2&order=asc';
    for (;;) {
      const page = InteractionPageSchema.parse((await get(url)).json());
      seen.push(...page.items.map((i) => i.interactionId));
      if (!page.nextCursor) break;
      url = `/v1/interactions?limit=2&order=asc&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual([q1.interactionId, q2.interactionId, q3.interactionId]);
  });

  it('counts matching records', async () => {
    expect((await get('/v1/interactions/count?model=gpt-4o')).json()).toEqual({ count: 2 });
    expect((await get('/v1/events/count?eventTypes=approval_denied')).json()).toEqual({ count: 1 });
  });

  it('filters events by type, success and interaction (repeated or comma-separated types)', async () => {
    const denied = EventPageSchema.parse((await get('/v1/events?eventTypes=approval_denied,approval_granted&success=false')).json());
    expect(denied.items.map((e) => e.eventId)).toEqual([ev.eventId]);
    const repeated = EventPageSchema.parse((await get('/v1/events?eventTypes=approval_granted&eventTypes=approval_denied')).json());
    expect(repeated.items.map((e) => e.eventId)).toEqual([ev.eventId]);
  });

  it('returns one interaction with its action events, and one event', async () => {
    const detail = InteractionDetailSchema.parse((await get(`/v1/interactions/${q2.interactionId}`)).json());
    expect(detail.question).toBe(q2.question);
    expect(detail.events.map((e) => e.eventId)).toEqual([ev.eventId]);
    expect((await get(`/v1/events/${ev.eventId}`)).json()).toMatchObject({ eventId: ev.eventId, eventType: 'approval_denied' });
    const missing = await get('/v1/interactions/0190d4b8-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'AUDITRAIL_ERR_NOT_FOUND' });
  });

  it('lists sessions, and one session with its interactions in order', async () => {
    const sessions = SessionPageSchema.parse((await get('/v1/sessions?order=asc')).json());
    expect(sessions.items.map((s) => [s.sessionId, s.interactionCount])).toEqual([
      ['sess-x', 2],
      ['sess-y', 1],
    ]);
    const one = SessionDetailSchema.parse((await get('/v1/sessions/sess-x')).json());
    expect(one.session).toMatchObject({ sessionId: 'sess-x', interactionCount: 2, clientIp: '10.0.0.7' });
    expect(one.interactions.map((i) => i.interactionId)).toEqual([q1.interactionId, q2.interactionId]);
    expect((await get('/v1/sessions/nope')).statusCode).toBe(404);
  });

  it('computes analytics by model per hour', async () => {
    const res = AnalyticsResponseSchema.parse((await get('/v1/analytics?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z&bucket=hour&groupBy=model')).json());
    expect(res.rows.map((r) => [r.bucket, r.group, r.count, r.errors])).toEqual([
      ['2026-03-02T10:00:00.000Z', 'claude', 1, 1],
      ['2026-03-02T10:00:00.000Z', 'gpt-4o', 1, 0],
      ['2026-03-02T11:00:00.000Z', 'gpt-4o', 1, 0],
    ]);
  });

  it('refuses bad filters with every problem listed', async () => {
    const res = await get('/v1/interactions?limit=0&status=exploded&bogus=1');
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; issues: { path: string }[] }>();
    expect(body.code).toBe('AUDITRAIL_ERR_QUERY_INVALID');
    expect(body.issues.map((i) => i.path).sort()).toEqual(['(root)', 'limit', 'status']);
    expect((await get('/v1/interactions?cursor=garbage')).json()).toMatchObject({ code: 'AUDITRAIL_ERR_CURSOR_INVALID' });
  });

  it('records every read as an audit event of the reader\'s org: who and which filters', async () => {
    await get('/v1/interactions?model=gpt-4o');
    await get(`/v1/interactions/${q1.interactionId}`);
    const access = await t.storage.queryEvents(parseQuery({ orgId: 'org_a', agentId: SERVER_AGENT_ID, order: 'asc' }));
    expect(access.items).toHaveLength(2);
    const keyId = (await t.keyStore.list('org_a'))[0]!.keyId;
    expect(access.items[0]).toMatchObject({ actionName: 'auditrail.query', userId: `key:${keyId}`, success: true });
    expect(access.items[0]!.actionParams).toMatchObject({ path: '/v1/interactions', filters: { model: 'gpt-4o', orgId: 'org_a' } });
    expect(access.items[1]!.actionParams).toMatchObject({ path: '/v1/interactions/:id', filters: { interactionId: q1.interactionId } });
  });
});

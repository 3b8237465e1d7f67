import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../../core/query.js';
import { IngestResponseSchema, ProblemSchema } from '../openapi/response-schemas.js';
import { GatedStorage } from '../test-support/gated-storage.js';
import { sampleEvent, sampleInteraction } from '../test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const all = parseQuery({});
async function stored(): Promise<number> {
  return (await t.storage.countEvents(all)) + (await t.storage.countInteractions(all));
}

function post(body: string | Buffer, headers: Record<string, string> = {}, token = t.keyA) {
  return t.server.app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json', ...bearer(token), ...headers }, payload: body });
}

function problem(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return ProblemSchema.parse(JSON.parse(res.body));
}

describe('POST /v1/events', () => {
  it('answers per record: accepted, duplicate, rejected with code — one bad record never sinks the batch', async () => {
    t = await startTestServer();
    const e = sampleEvent();
    const bad = { ...sampleEvent(), eventType: 'exploded' };
    const res = await post(JSON.stringify([e, sampleInteraction(), bad, e]));
    expect(res.statusCode).toBe(200);
    const body = IngestResponseSchema.parse(res.json());
    expect(body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 1 });
    expect(body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected', 'duplicate']);
    expect(body.results[2]).toMatchObject({ index: 2, id: bad.eventId, code: 'AUDITRAIL_ERR_RECORD_INVALID' });
    expect(body.results[2]!.issues?.map((i) => i.path)).toContain('eventType');
    expect(await stored()).toBe(2);
  });

  it('answers only once the accepted records are stored', async () => {
    const storage = new GatedStorage(false);
    t = await startTestServer({ storage });
    let answered = false;
    const pending = post(JSON.stringify([sampleEvent()])).then((r) => ((answered = true), r));
    await storage.waitForAppends(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(answered).toBe(false);
    storage.release();
    expect((await pending).statusCode).toBe(200);
    expect(await stored()).toBe(1);
  });

  it('takes the org from the API key and rejects a record that claims another org', async () => {
    t = await startTestServer();
    const { orgId: _drop, ...noOrg } = sampleEvent();
    const res = await post(JSON.stringify([noOrg, sampleEvent({ orgId: 'org_b' }), sampleEvent({ orgId: 'org_a' })]));
    const body = IngestResponseSchema.parse(res.json());
    expect(body.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(body.results[1]!.code).toBe('AUDITRAIL_ERR_ORG_MISMATCH');
    expect(await t.storage.countEvents(parseQuery({ orgId: 'org_a' }))).toBe(2);
    expect(await t.storage.countEvents(parseQuery({ orgId: 'org_b' }))).toBe(0);
  });

  it('accepts {"records": [...]}, NDJSON and gzip', async () => {
    t = await startTestServer();
    const envelope = await post(JSON.stringify({ records: [sampleEvent()] }));
    expect(envelope.json()).toMatchObject({ accepted: 1 });
    const ndjson = await post(`${JSON.stringify(sampleEvent())}\n\n${JSON.stringify(sampleInteraction())}\n`, { 'content-type': 'application/x-ndjson' });
    expect(ndjson.json()).toMatchObject({ accepted: 2 });
    const gz = await post(gzipSync(JSON.stringify([sampleEvent(), sampleEvent()])), { 'content-encoding': 'gzip' });
    expect(gz.json()).toMatchObject({ accepted: 2 });
    expect(await stored()).toBe(5);
  });

  it('answers 503 with Retry-After when the write queue is full, instead of buffering', async () => {
    const storage = new GatedStorage(false);
    t = await startTestServer({ storage, env: { AUDITRAIL_ASYNC_QUEUE_SIZE: '3' } });
    const first = post(JSON.stringify([sampleEvent(), sampleEvent()]));
    await storage.waitForAppends(1);
    const res = await post(JSON.stringify([sampleEvent(), sampleEvent()]));
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(problem(res).code).toBe('AUDITRAIL_ERR_QUEUE_FULL');
    storage.release();
    expect((await first).statusCode).toBe(200);
    expect(await stored()).toBe(2);
  });

  it('answers 503 when storage fails, acknowledging nothing, and a retry stores each record once', async () => {
    const storage = new GatedStorage(true);
    storage.failNext = 1;
    t = await startTestServer({ storage });
    const batch = JSON.stringify([sampleEvent(), sampleEvent()]);
    const failed = await post(batch);
    expect(failed.statusCode).toBe(503);
    expect(problem(failed).code).toBe('AUDITRAIL_ERR_STORAGE_UNAVAILABLE');
    expect(failed.headers['retry-after']).toBe('1');
    expect((await post(batch)).json()).toMatchObject({ accepted: 2 });
    expect((await post(batch)).json()).toMatchObject({ duplicates: 2 });
    expect(await stored()).toBe(2);
  });

  it('refuses ingestion without the ingest scope, and when audit.enabled is false', async () => {
    t = await startTestServer();
    const readOnly = await t.key('org_a', ['read']);
    const res = await post(JSON.stringify([sampleEvent()]), {}, readOnly);
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('AUDITRAIL_ERR_SCOPE_MISSING');
    await t.close();
    t = await startTestServer({ env: { AUDITRAIL_ENABLED: 'false' } });
    const off = await post(JSON.stringify([sampleEvent()]));
    expect(off.statusCode).toBe(503);
    expect(problem(off).code).toBe('AUDITRAIL_ERR_INGEST_DISABLED');
  });
});

/** The JSON with its `@@` replaced by an invalid UTF-8 sequence (0xC3 0x28). */
function invalidUtf8(json: string): Buffer {
  const b = Buffer.from(json);
  const at = b.indexOf('@@');
  b[at] = 0xc3;
  b[at + 1] = 0x28;
  return b;
}

describe('POST /v1/events with hostile or broken payloads', () => {
  const deep = (levels: number): unknown => {
    let v: unknown = 'bottom';
    for (let i = 0; i < levels; i++) v = { n: v };
    return v;
  };
  const cases: { name: string; status: number; code: string; env?: Record<string, string>; send: () => { body: string | Buffer; headers?: Record<string, string> } }[] = [
    { name: 'malformed JSON', status: 400, code: 'BODY_MALFORMED', send: () => ({ body: '[{"kind": "event", ' }) },
    { name: 'a JSON value that is not a batch', status: 400, code: 'BODY_MALFORMED', send: () => ({ body: '{"kind":"event"}' }) },
    { name: 'a broken NDJSON line', status: 400, code: 'BODY_MALFORMED', send: () => ({ body: `${JSON.stringify(sampleEvent())}\n{oops\n`, headers: { 'content-type': 'application/x-ndjson' } }) },
    { name: 'an empty body', status: 400, code: 'BODY_MALFORMED', send: () => ({ body: '' }) },
    { name: 'a body over max_body_bytes', status: 413, code: 'BODY_TOO_LARGE', env: { AUDITRAIL_MAX_BODY_BYTES: '2048' }, send: () => ({ body: JSON.stringify([sampleEvent({ actionParams: { pad: 'x'.repeat(4000) } })]) }) },
    {
      name: 'a gzip body that inflates past max_body_bytes',
      status: 413,
      code: 'BODY_TOO_LARGE',
      env: { AUDITRAIL_MAX_BODY_BYTES: '4096' },
      send: () => ({ body: gzipSync(JSON.stringify([sampleEvent({ actionParams: { pad: 'x'.repeat(100_000) } })])), headers: { 'content-encoding': 'gzip' } }),
    },
    { name: 'more records than max_batch_records', status: 413, code: 'BATCH_TOO_LARGE', env: { AUDITRAIL_MAX_BATCH_RECORDS: '3' }, send: () => ({ body: JSON.stringify([1, 2, 3, 4].map(() => sampleEvent())) }) },
    { name: 'a string over max_string_length', status: 413, code: 'RECORD_TOO_LARGE', env: { AUDITRAIL_MAX_STRING_LENGTH: '100' }, send: () => ({ body: JSON.stringify([sampleEvent(), sampleEvent({ reason: 'y'.repeat(101) })]) }) },
    { name: 'nesting deeper than max_depth', status: 422, code: 'RECORD_TOO_DEEP', send: () => ({ body: JSON.stringify([sampleEvent(), sampleEvent({ actionParams: deep(40) as Record<string, unknown> })]) }) },
    { name: 'a million levels of nesting', status: 422, code: 'RECORD_TOO_DEEP', send: () => ({ body: `[${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}]` }) },
    { name: 'invalid UTF-8 inside a string', status: 400, code: 'BODY_ENCODING_INVALID', send: () => ({ body: invalidUtf8(JSON.stringify([sampleEvent({ reason: '@@' })])) }) },
    { name: 'a body that claims gzip but is not', status: 400, code: 'BODY_ENCODING_INVALID', send: () => ({ body: JSON.stringify([sampleEvent()]), headers: { 'content-encoding': 'gzip' } }) },
    { name: 'an unsupported Content-Encoding', status: 415, code: 'MEDIA_TYPE_UNSUPPORTED', send: () => ({ body: JSON.stringify([sampleEvent()]), headers: { 'content-encoding': 'br' } }) },
    { name: 'an unsupported Content-Type', status: 415, code: 'MEDIA_TYPE_UNSUPPORTED', send: () => ({ body: 'hello', headers: { 'content-type': 'text/plain' } }) },
    { name: 'a __proto__ key', status: 400, code: 'BODY_FORBIDDEN_KEY', send: () => ({ body: `[${JSON.stringify(sampleEvent()).slice(0, -1)},"actionParams":{"__proto__":{"polluted":true}}}]` }) },
    { name: 'a nested __proto__ key in NDJSON', status: 400, code: 'BODY_FORBIDDEN_KEY', send: () => ({ body: `{"kind":"event","metadata":{"a":[{"__proto__":{"polluted":true}}]}}\n`, headers: { 'content-type': 'application/x-ndjson' } }) },
    { name: 'a constructor.prototype object', status: 400, code: 'BODY_FORBIDDEN_KEY', send: () => ({ body: JSON.stringify([sampleEvent({ metadata: { constructor: { prototype: { polluted: true } } } })]) }) },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.status} ${c.code} and stores nothing`, async () => {
      t = await startTestServer(c.env ? { env: c.env } : {});
      const { body, headers } = c.send();
      const res = await post(body, headers);
      expect(res.statusCode).toBe(c.status);
      expect(problem(res).code).toBe(`AUDITRAIL_ERR_${c.code}`);
      expect(await stored()).toBe(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('names the offending path of a limit violation', async () => {
    t = await startTestServer({ env: { AUDITRAIL_MAX_STRING_LENGTH: '100' } });
    const res = await post(JSON.stringify([sampleEvent(), sampleEvent({ metadata: { note: 'z'.repeat(200) } })]));
    expect(problem(res).issues).toEqual([{ path: 'records.1.metadata.note', message: expect.any(String) }]);
  });

  it('keeps a constructor key that is plain data', async () => {
    t = await startTestServer();
    const res = await post(JSON.stringify([sampleEvent({ metadata: { constructor: 'Ada' } })]));
    expect(res.json()).toMatchObject({ accepted: 1 });
  });
});

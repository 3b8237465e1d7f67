import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQuery } from '../core/query.js';
import { IngestResponseSchema, InteractionPageSchema, ReadyzSchema } from './openapi/response-schemas.js';
import { GatedStorage } from './test-support/gated-storage.js';
import { sampleEvent, sampleInteraction } from './test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from './test-support/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ingest = (server: TestServer, records: unknown[]) =>
  server.server.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(server.keyA), payload: records });

describe('operations endpoints', () => {
  it('answers /healthz and /readyz without a key', async () => {
    t = await startTestServer();
    expect((await t.server.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = ReadyzSchema.parse((await t.server.app.inject('/readyz')).json());
    expect(ready.status).toBe('ready');
    expect(ready.checks.storage).toEqual({ ok: true, detail: 'memory' });
  });

  it('reports not ready while the write queue is full', async () => {
    const storage = new GatedStorage(false);
    t = await startTestServer({ storage, env: { AUDITRAIL_ASYNC_QUEUE_SIZE: '2' } });
    const pending = ingest(t, [sampleEvent(), sampleEvent()]);
    await storage.waitForAppends(1);
    const res = await t.server.app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(ReadyzSchema.parse(res.json()).checks.queue!.ok).toBe(false);
    storage.release();
    await pending;
    expect((await t.server.app.inject('/readyz')).statusCode).toBe(200);
  });

  it('exposes Prometheus metrics for the seed-002 monitoring points and per-record outcomes', async () => {
    t = await startTestServer();
    const e = sampleEvent();
    await ingest(t, [e, e, { kind: 'event' }]);
    const res = await t.server.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    for (const name of ['auditrail_write_queue_length', 'auditrail_write_processing_seconds_bucket', 'auditrail_write_errors_total', 'auditrail_write_batch_records_bucket', 'auditrail_http_request_duration_seconds_bucket', 'auditrail_process_resident_memory_bytes']) {
      expect(text, name).toContain(name);
    }
    expect(text).toMatch(/auditrail_records_total\{status="accepted"\} 1\n/);
    expect(text).toMatch(/auditrail_records_total\{status="duplicate"\} 1\n/);
    expect(text).toMatch(/auditrail_records_total\{status="rejected"\} 1\n/);
    expect(text).toMatch(/auditrail_http_request_duration_seconds_count\{method="POST",route="\/v1\/events",status_code="200"\} 1\n/);
  });

  it('serves the OpenAPI document and a self-contained docs page', async () => {
    t = await startTestServer();
    const doc = (await t.server.app.inject('/openapi.json')).json<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/interactions', '/v1/export', '/v1/analytics', '/v1/sessions/{id}']));
    expect(doc.components.schemas.AuditRecordInput).toBeDefined();
    const docs = await t.server.app.inject('/docs');
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(docs.body).toContain('/openapi.json');
    expect(docs.body).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
  });
});

describe('graceful shutdown', () => {
  it('stops taking requests, finishes the in-flight ones, drains the queue, then closes storage', async () => {
    const storage = new GatedStorage(false);
    const server = await startTestServer({ storage });
    const url = await server.server.listen();
    const post = (records: unknown[]) => fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server.keyA) }, body: JSON.stringify(records) });
    const inFlight = post([sampleInteraction(), sampleInteraction()]);
    await storage.waitForAppends(1);
    const closed = server.close();
    // a new request is refused: either the listener is gone, or (on a kept-alive connection) 503
    const late = await post([sampleEvent()]).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    storage.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(IngestResponseSchema.parse(await res.json()).accepted).toBe(2);
    await closed;
    await expect(storage.countInteractions(parseQuery({}))).rejects.toMatchObject({ code: 'AUDITRAIL_ERR_STORAGE_CLOSED' });
    expect(storage.appends.flat()).toHaveLength(2);
  });
  it('does not wait for sockets without a request in flight (a kept-alive one, a browser preconnect)', async () => {
    const storage = new GatedStorage(false);
    const server = await startTestServer({ storage, env: { AUDITRAIL_SHUTDOWN_TIMEOUT_MS: '600000' } });
    const url = await server.server.listen();
    const { port } = new URL(url);
    // a preconnected socket that never sends a request, and a kept-alive one after its answer
    const preconnect = connect(Number(port), '127.0.0.1');
    await once(preconnect, 'connect');
    const keptAlive = connect(Number(port), '127.0.0.1');
    await once(keptAlive, 'connect');
    keptAlive.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
    await once(keptAlive, 'data');
    // and one request in flight, which must still be answered
    const inFlight = fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(server.keyA) }, body: JSON.stringify([sampleEvent()]) });
    await storage.waitForAppends(1);
    const closed = server.close();
    await Promise.all([once(preconnect, 'close'), once(keptAlive, 'close')]);
    storage.release();
    expect((await inFlight).status).toBe(200);
    // with a 10-minute shutdown timeout, close() only ends this test in time if nothing held it
    await closed;
    expect(storage.appends.flat()).toHaveLength(1);
  });
});

describe('over a real socket', () => {
  it('ingests and queries through HTTP on 127.0.0.1', async () => {
    t = await startTestServer();
    const url = await t.server.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const i = sampleInteraction({ question: 'over the wire' });
    const post = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...bearer(t.keyA) }, body: `${JSON.stringify(i)}\n` });
    expect(post.status).toBe(200);
    expect(IngestResponseSchema.parse(await post.json()).accepted).toBe(1);
    const page = InteractionPageSchema.parse(await (await fetch(`${url}/v1/interactions?search=wire`, { headers: bearer(t.keyA) })).json());
    expect(page.items.map((x) => x.interactionId)).toEqual([i.interactionId]);
    const exported = await (await fetch(`${url}/v1/export`, { headers: bearer(t.keyA) })).text();
    expect(exported).toContain('over the wire');
  });
});

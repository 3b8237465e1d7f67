import { gzipSync } from 'node:zlib';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import type { Interaction } from '../../core/interaction.js';
import { parseQuery } from '../../core/query.js';
import { GatedStorage } from '../test-support/gated-storage.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';
import { runCurrentDialect } from './test-support/instrumented-agent.js';
import { logsRequest, span, spanId, traceId, tracesRequest } from './test-support/otlp-json.js';
import { T0, opsAgentTrace } from './test-support/ops-agent-trace.js';
import { decodeProtobuf, encodeProtobuf } from './otlp-proto.js';

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const all = parseQuery({});
const storedInteractions = async () => (await t.storage.queryInteractions(parseQuery({ order: 'asc' }))).items;
const storedCount = async () => (await t.storage.countInteractions(all)) + (await t.storage.countEvents(all));

function post(url: string, payload: string | Buffer | Uint8Array, headers: Record<string, string>, token: string | null = t.keyA) {
  return t.server.app.inject({ method: 'POST', url, headers: { ...(token ? bearer(token) : {}), ...headers }, payload: Buffer.from(payload) });
}
const json = { 'content-type': 'application/json' };
const protobuf = { 'content-type': 'application/x-protobuf' };

/** Spans made by a real tracer, as OpenTelemetry's own protobuf serializer encodes them. */
async function realProtobufRequest(): Promise<Uint8Array> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  await runCurrentDialect(provider.getTracer('test'), 'conv-proto');
  await provider.forceFlush();
  return ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
}

describe('OTLP/HTTP encodings', () => {
  it('answers a protobuf request with a protobuf ExportTraceServiceResponse that OpenTelemetry decodes', async () => {
    t = await startTestServer();
    const res = await post('/v1/traces', Buffer.from(await realProtobufRequest()), protobuf);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    expect(ProtobufTraceSerializer.deserializeResponse(res.rawPayload)).toEqual({});
    expect((await storedInteractions()).map((i) => [i.sessionId, i.toolCalls.length])).toEqual([['conv-proto', 3]]);
  });

  it('reports rejected spans in a protobuf partialSuccess', async () => {
    t = await startTestServer();
    const good = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'chat', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000', attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }] };
    const bad = { ...good, traceId: Buffer.alloc(3, 1) };
    const body = encodeProtobuf('ExportTraceServiceRequest', { resourceSpans: [{ scopeSpans: [{ spans: [bad, good] }] }] });
    const res = await post('/v1/traces', Buffer.from(body), protobuf);
    expect(res.statusCode).toBe(200);
    const answer = ProtobufTraceSerializer.deserializeResponse(res.rawPayload);
    expect(Number(answer.partialSuccess?.rejectedSpans)).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toMatch(/span 0: traceId/);
    expect(await t.storage.countInteractions(all)).toBe(1);
  });

  it('accepts gzip bodies, JSON and protobuf', async () => {
    t = await startTestServer();
    const trace = opsAgentTrace();
    const gz = await post('/v1/traces', gzipSync(JSON.stringify(tracesRequest(Object.values(trace.spans)))), { ...json, 'content-encoding': 'gzip' });
    expect(gz.json()).toEqual({});
    const gzProto = await post('/v1/traces', gzipSync(await realProtobufRequest()), { ...protobuf, 'content-encoding': 'gzip' });
    expect(gzProto.statusCode).toBe(200);
    expect(await t.storage.countInteractions(all)).toBe(2);
  });

  it('accepts an empty export request (no spans) as a success', async () => {
    t = await startTestServer();
    expect((await post('/v1/traces', '{}', json)).json()).toEqual({});
    expect((await post('/v1/traces', Buffer.alloc(0), protobuf)).statusCode).toBe(200);
    expect(await storedCount()).toBe(0);
  });
});

describe('OTLP/HTTP refusals', () => {
  it.each([
    ['JSON that does not parse', '{"resourceSpans": [', json],
    ['JSON that is not an object', '[1, 2]', json],
    ['resourceSpans that is not a list', '{"resourceSpans": {"a": 1}}', json],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), json],
    ['protobuf that does not decode', Buffer.from('this is not protobuf at all'), protobuf],
    ['a broken gzip stream', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), { ...json, 'content-encoding': 'gzip' }],
  ])('answers 400 (never retried) to %s, with a google.rpc.Status, and stores nothing', async (_what, payload, headers) => {
    t = await startTestServer();
    const res = await post('/v1/traces', payload, headers);
    expect(res.statusCode).toBe(400);
    const status = headers['content-type'] === 'application/x-protobuf' ? decodeProtobuf('RpcStatus', res.rawPayload) : res.json<Record<string, unknown>>();
    expect(status).toMatchObject({ code: 3, message: expect.stringMatching(/^AUDITRAIL_ERR_BODY_(MALFORMED|ENCODING_INVALID)/) });
    expect(await storedCount()).toBe(0);
  });

  it('answers 415 to other media types and 413 to bodies over limits.max_body_bytes', async () => {
    t = await startTestServer({ env: { AUDITRAIL_MAX_BODY_BYTES: '2048' } });
    const text = await post('/v1/traces', 'hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    const big = await post('/v1/traces', JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(4096) }), json);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 3, message: expect.stringMatching(/BODY_TOO_LARGE/) });
    const bomb = await post('/v1/traces', gzipSync(JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(100_000) })), { ...json, 'content-encoding': 'gzip' });
    expect(bomb.statusCode).toBe(413);
  });

  it('needs an API key with the ingest scope, sent as Authorization: Bearer or x-api-key, and stores in its org', async () => {
    t = await startTestServer();
    const body = JSON.stringify(tracesRequest(Object.values(opsAgentTrace().spans)));
    expect((await post('/v1/traces', body, json, null)).statusCode).toBe(401);
    const readOnly = await t.key('org_a', ['read']);
    expect((await post('/v1/traces', body, json, readOnly)).statusCode).toBe(403);
    const viaHeader = await post('/v1/traces', body, { ...json, 'x-api-key': t.keyB }, null);
    expect(viaHeader.statusCode).toBe(200);
    expect((await t.storage.queryInteractions(parseQuery({ orgId: 'org_b' }))).items).toHaveLength(1);
    expect(await t.storage.countInteractions(parseQuery({ orgId: 'org_a' }))).toBe(0);
  });

  it('answers 503 with Retry-After when the write queue is full, and the retry stores everything once', async () => {
    const storage = new GatedStorage(false);
    t = await startTestServer({ storage, env: { AUDITRAIL_ASYNC_QUEUE_SIZE: '4' } });
    const first = opsAgentTrace();
    const pending = post('/v1/traces', JSON.stringify(tracesRequest([first.spans.describe])), json);
    await new Promise((r) => setTimeout(r, 30));
    const second = JSON.stringify(tracesRequest(Object.values(opsAgentTrace().spans)));
    const refused = await post('/v1/traces', second, json);
    expect(refused.statusCode).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({ code: 14, message: expect.stringMatching(/QUEUE_FULL/) });
    storage.release();
    expect((await pending).statusCode).toBe(200);
    expect((await post('/v1/traces', second, json)).statusCode).toBe(200);
    expect((await post('/v1/traces', second, json)).statusCode).toBe(200);
    expect(await t.storage.countInteractions(all)).toBe(1);
    expect(await t.storage.countEvents(all)).toBe(2 + 8);
  });
});

describe('POST /v1/logs', () => {
  it('makes the older per-message events of one call an interaction; resending stores nothing twice', async () => {
    t = await startTestServer();
    const trace = traceId();
    const chat = spanId();
    const ctx = { traceId: trace, spanId: chat, attributes: { 'gen_ai.system': 'anthropic' } };
    const body = JSON.stringify(
      logsRequest([
        { ...ctx, eventName: 'gen_ai.system.message', timeMs: T0, body: { content: 'You are an SRE.' } },
        { ...ctx, eventName: 'gen_ai.user.message', timeMs: T0 + 1, body: { content: 'is etcd healthy?' } },
        { ...ctx, eventName: 'gen_ai.choice', timeMs: T0 + 800, body: { index: 0, finish_reason: 'tool_calls', message: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'etcdctl', arguments: '{"cmd":"endpoint health"}' } }] } } },
        { eventName: 'http.request', timeMs: T0, body: 'GET /healthz' },
      ]),
    );
    expect((await post('/v1/logs', body, json)).json()).toEqual({});
    expect((await post('/v1/logs', body, json)).json()).toEqual({});
    const [one, ...rest] = await storedInteractions();
    expect(rest).toHaveLength(0);
    expect(one).toMatchObject({ question: 'is etcd healthy?', provider: 'anthropic', model: 'unknown', finalAnswer: null, totalDurationMs: 800, sessionId: `otel-trace-${trace}` });
    expect(one!.toolCalls).toEqual([expect.objectContaining({ name: 'etcdctl', input: { cmd: 'endpoint health' }, status: 'pending' })]);
    expect(one!.metadata.otel).toMatchObject({ signal: 'logs', traceId: trace, spanId: chat });
  });

  it('reads a gen_ai.client.inference.operation.details event like a span', async () => {
    t = await startTestServer();
    const body = JSON.stringify(
      logsRequest([
        {
          traceId: traceId(),
          spanId: spanId(),
          eventName: 'gen_ai.client.inference.operation.details',
          timeMs: T0,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'aws.bedrock',
            'gen_ai.request.model': 'claude-3-5',
            'gen_ai.conversation.id': 'conv-9',
            'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'rotate the keys?' }] }]),
            'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'reasoning', content: 'rotation is routine' }, { type: 'text', content: 'Yes.' }], finish_reason: 'stop' }]),
          },
        },
      ]),
    );
    expect((await post('/v1/logs', body, json)).statusCode).toBe(200);
    expect(await storedInteractions()).toEqual([
      expect.objectContaining({ question: 'rotate the keys?', finalAnswer: 'Yes.', provider: 'aws.bedrock', model: 'claude-3-5', sessionId: 'conv-9', thoughts: [{ sequence: 0, content: 'rotation is routine' }] }),
    ]);
  });

  it('answers protobuf log requests in protobuf, with rejectedLogRecords for unusable records', async () => {
    t = await startTestServer();
    const record = { timeUnixNano: '1700000000000000000', eventName: 'gen_ai.user.message', body: { stringValue: 'hello' }, traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, 7) };
    const body = encodeProtobuf('ExportLogsServiceRequest', { resourceLogs: [{ scopeLogs: [{ logRecords: [record, { ...record, spanId: Buffer.alloc(5, 1) }] }] }] });
    const res = await post('/v1/logs', Buffer.from(body), protobuf);
    expect(res.statusCode).toBe(200);
    const answer = ProtobufLogsSerializer.deserializeResponse(res.rawPayload);
    expect(Number(answer.partialSuccess?.rejectedLogRecords)).toBe(1);
    expect((await storedInteractions()).map((i: Interaction) => i.question)).toEqual(['hello']);
  });
});

describe('what OTLP ingestion ignores', () => {
  it('stores nothing for spans that are not GenAI', async () => {
    t = await startTestServer();
    const res = await post('/v1/traces', JSON.stringify(tracesRequest([span({ traceId: traceId(), spanId: spanId(), name: 'GET /', startMs: T0, endMs: T0 + 1, attributes: { 'http.request.method': 'GET' } })])), json);
    expect(res.json()).toEqual({});
    expect(await storedCount()).toBe(0);
  });
});

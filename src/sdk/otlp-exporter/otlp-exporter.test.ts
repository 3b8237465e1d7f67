import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAuditrailError, parseRecordOrThrow, uuidv7, type AuditRecord } from '../../core/index.js';
import { createOtlpExporter } from './index.js';

interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: { resourceSpans: { resource: { attributes: Kv[] }; scopeSpans: { spans: Span[] }[] }[] };
}
interface Kv {
  key: string;
  value: Record<string, unknown>;
}
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Kv[];
  status: { code: number; message?: string };
}
type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A stand-in OTLP/HTTP collector (node:http on an ephemeral port) answering from a script. */
let server: Server;
let url: string;
let received: Received[];
let answers: ((r: Received) => Answer)[];
beforeEach(async () => {
  received = [];
  answers = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const r: Received = { url: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Received['body'] };
      received.push(r);
      const answer: Answer = (answers.shift() ?? (() => ({ status: 200, body: {} })))(r);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const spansOf = (r: Received) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
const attr = (s: Span, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v === undefined ? undefined : (v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue);
};

function interaction(overrides: Record<string, unknown> = {}): AuditRecord {
  return parseRecordOrThrow({
    kind: 'interaction',
    interactionId: uuidv7(),
    timestamp: '2026-04-02T08:00:00.000Z',
    orgId: 'org_a',
    sessionId: 'sess-1',
    question: 'disk usage?',
    model: 'gpt-4o',
    provider: 'openai',
    thoughts: [{ sequence: 0, content: 'check df' }],
    toolCalls: [{ sequence: 0, name: 'df', input: { host: 'n1' }, observation: '40%', durationMs: 3, startedAt: '2026-04-02T08:00:00.100Z' }],
    finalAnswer: '40% used',
    status: 'success',
    totalDurationMs: 500,
    usage: { inputTokens: 10, outputTokens: 4 },
    ...overrides,
  });
}

describe('createOtlpExporter', () => {
  it('posts OTLP/JSON GenAI spans: an invoke_agent span per interaction with its execute_tool children', async () => {
    const record = interaction();
    const exporter = createOtlpExporter({ url, headers: { authorization: 'Bearer k' }, resource: { 'deployment.environment': 'prod' } });
    expect(await exporter.export([record])).toEqual({ code: 'success', rejected: [] });
    const [req] = received;
    expect(req!.url).toBe('/v1/traces');
    expect(req!.headers).toMatchObject({ authorization: 'Bearer k', 'content-type': 'application/json' });
    expect(req!.body.resourceSpans[0]!.resource.attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'auditrail' } },
        { key: 'deployment.environment', value: { stringValue: 'prod' } },
      ]),
    );
    const [agent, tool] = spansOf(req!);
    const id = record.kind === 'interaction' ? record.interactionId : '';
    expect(agent).toMatchObject({ traceId: id.replace(/-/g, ''), name: 'invoke_agent agent', startTimeUnixNano: '1775116800000000000', endTimeUnixNano: '1775116800500000000' });
    expect(attr(agent!, 'gen_ai.operation.name')).toBe('invoke_agent');
    expect(attr(agent!, 'gen_ai.conversation.id')).toBe('sess-1');
    expect(attr(agent!, 'gen_ai.usage.input_tokens')).toBe('10');
    expect(JSON.parse(attr(agent!, 'gen_ai.input.messages') as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'disk usage?' }] }]);
    expect(JSON.parse(attr(agent!, 'gen_ai.output.messages') as string)).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'check df' },
          { type: 'text', content: '40% used' },
        ],
      },
    ]);
    expect(tool).toMatchObject({ traceId: agent!.traceId, parentSpanId: agent!.spanId, name: 'execute_tool df' });
    expect(attr(tool!, 'gen_ai.tool.call.arguments')).toBe('{"host":"n1"}');
    expect(attr(tool!, 'gen_ai.tool.call.result')).toBe('"40%"');
  });

  it('appends /v1/traces only to a URL without a path, and gzips bodies from gzipMinBytes', async () => {
    await createOtlpExporter({ url: `${url}/custom/path`, gzip: false }).export([interaction()]);
    await createOtlpExporter({ url, gzipMinBytes: 0 }).export([interaction()]);
    expect(received.map((r) => [r.url, r.headers['content-encoding']])).toEqual([
      ['/custom/path', undefined],
      ['/v1/traces', 'gzip'],
    ]);
  });

  it('exports the same spans for the same records (span ids derive from record ids)', async () => {
    const record = interaction();
    const exporter = createOtlpExporter({ url });
    await exporter.export([record]);
    await exporter.export([record]);
    expect(spansOf(received[1]!)).toEqual(spansOf(received[0]!));
  });

  it('reports a partialSuccess as rejected records, at most the batch', async () => {
    answers.push(() => ({ status: 200, body: { partialSuccess: { rejectedSpans: '5', errorMessage: 'bad span' } } }));
    const result = await createOtlpExporter({ url }).export([interaction(), interaction()]);
    expect(result.code).toBe('success');
    expect(result.code === 'success' && result.rejected).toEqual([
      { id: '(unknown)', code: 'AUDITRAIL_ERR_RECORD_INVALID', message: 'the collector rejected 5 span(s) (OTLP partialSuccess): bad span' },
      { id: '(unknown)', code: 'AUDITRAIL_ERR_RECORD_INVALID', message: 'the collector rejected 5 span(s) (OTLP partialSuccess): bad span' },
    ]);
  });

  it('retries 429 and 503 after Retry-After, fails on other 4xx, and splits a batch refused as too large', async () => {
    answers.push(() => ({ status: 429, headers: { 'retry-after': '0' } }), () => ({ status: 503, headers: { 'retry-after': '0' } }));
    expect((await createOtlpExporter({ url }).export([interaction()])).code).toBe('success');
    expect(received).toHaveLength(3);

    answers.push(() => ({ status: 400, body: { code: 3, message: 'bad' } }));
    const failed = await createOtlpExporter({ url }).export([interaction()]);
    expect(failed.code).toBe('failure');

    received.length = 0;
    answers.push((r) => ({ status: spansOf(r).length > 2 ? 413 : 200, body: {} }));
    answers.push((r) => ({ status: spansOf(r).length > 2 ? 413 : 200, body: {} }));
    answers.push((r) => ({ status: spansOf(r).length > 2 ? 413 : 200, body: {} }));
    const split = await createOtlpExporter({ url }).export([interaction(), interaction()]);
    expect(split).toEqual({ code: 'success', rejected: [] });
    expect(received.map((r) => spansOf(r).length)).toEqual([4, 2, 2]);
  });

  it('refuses bad options at construction, listing every problem', () => {
    try {
      createOtlpExporter({ url: 'ftp://x', timeoutMs: 0 });
      expect.unreachable();
    } catch (err) {
      expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
      expect((err as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['timeoutMs', 'url']);
    }
  });
});

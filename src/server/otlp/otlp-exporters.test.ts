import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { SERVER_AGENT_ID } from '../tenancy/access-audit.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';
import { ANSWER, QUESTION } from './test-support/instrumented-agent.js';

const child = fileURLToPath(new URL('./test-support/otlp-agent-child.ts', import.meta.url));

interface ChildReport {
  current: string;
  older: { traceId: string; chatSpanId: string };
  vercel: string;
  spans: number;
  results: number[];
  resent: string;
}

/** Runs the instrumented agent in a child process whose only configuration is the OTEL_* environment. */
function runAgent(otel: Record<string, string>): Promise<ChildReport> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OTEL_')) env[k] = v;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...env, ...otel }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`agent exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as ChildReport);
    });
  });
}

let t: TestServer;
let baseUrl: string;
beforeAll(async () => {
  t = await startTestServer();
  baseUrl = await t.server.listen();
});
afterAll(async () => {
  await t.close();
});

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: bearer(t.keyA) });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}
const interactions = async () => (await get<{ items: Interaction[] }>('/v1/interactions?order=asc&limit=1000')).items;
const events = async () => (await get<{ items: AuditEvent[] }>('/v1/events?order=asc&limit=1000')).items.filter((e) => e.agentId !== SERVER_AGENT_ID);
const traceOf = (r: { metadata: Record<string, unknown> }) => (r.metadata.otel as { traceId?: string } | undefined)?.traceId;

describe.each([
  { protocol: 'http/protobuf', headers: (key: string) => `authorization=Bearer%20${key}` },
  { protocol: 'http/json', headers: (key: string) => `x-api-key=${key}` },
])('real OpenTelemetry exporters, $protocol, configured by OTEL_EXPORTER_OTLP_* only', ({ protocol, headers }) => {
  let report: ChildReport;
  let mine: { interactions: Interaction[]; events: AuditEvent[] };
  beforeAll(async () => {
    report = await runAgent({ OTEL_EXPORTER_OTLP_ENDPOINT: baseUrl, OTEL_EXPORTER_OTLP_HEADERS: headers(t.keyA), OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
    const traces = new Set([report.current, report.older.traceId, report.vercel]);
    mine = { interactions: (await interactions()).filter((i) => traces.has(traceOf(i)!)), events: (await events()).filter((e) => traces.has(traceOf(e)!)) };
  }, 60_000);

  it('exports every batch successfully, twice (the second time as a retry would)', () => {
    expect(report.spans).toBeGreaterThanOrEqual(12);
    expect(report.results.every((code) => code === 0)).toBe(true);
    expect(report.resent).toBe('success');
  });

  it('shows the current-dialect agent as an interaction with its tool calls', () => {
    const agent = mine.interactions.find((i) => traceOf(i) === report.current)!;
    expect(agent).toMatchObject({
      sessionId: `conv-${protocol}`,
      userId: 'alice',
      agentId: 'agent-7',
      question: QUESTION,
      finalAnswer: ANSWER,
      model: 'gpt-4o',
      provider: 'openai',
      status: 'success',
      usage: { inputTokens: 300, outputTokens: 60 },
      thoughts: [expect.objectContaining({ content: 'look at the pod events first' })],
    });
    expect(agent.toolCalls.map((c) => [c.name, c.status, c.errorMessage])).toEqual([
      ['kubectl_describe', 'success', null],
      ['kubectl_delete_pod', 'rejected', 'business hours'],
      ['prometheus_query', 'error', 'prometheus: timeout after 5s'],
    ]);
    expect(agent.toolCalls[0]).toMatchObject({ input: { pod: 'payments-1' }, observation: 'Reason: OOMKilled' });
  });

  it('records seed-000 action events for the tool spans, approval decisions included', () => {
    const agent = mine.interactions.find((i) => traceOf(i) === report.current)!;
    const of = (name: string) => mine.events.filter((e) => e.actionName === name && e.interactionId === agent.interactionId).map((e) => e.eventType);
    expect(of('kubectl_describe')).toEqual(['action_started', 'action_completed']);
    expect(of('kubectl_delete_pod')).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
    expect(of('prometheus_query')).toEqual(['action_started', 'action_failed']);
    expect(mine.events.find((e) => e.eventType === 'approval_denied')).toMatchObject({ approver: 'bob', reason: 'business hours', sessionId: `conv-${protocol}`, userId: 'alice' });
  });

  it('maps the older dialect: the spans give model and usage, the per-message log events give the conversation', () => {
    const fromTraces = mine.interactions.find((i) => traceOf(i) === report.older.traceId && (i.metadata.otel as { signal: string }).signal === 'traces')!;
    expect(fromTraces).toMatchObject({ agentId: 'legacy-bot', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', usage: { inputTokens: 60, outputTokens: 9 } });
    const fromLogs = mine.interactions.find((i) => traceOf(i) === report.older.traceId && (i.metadata.otel as { signal: string }).signal === 'logs')!;
    expect(fromLogs).toMatchObject({ question: 'which node is low on disk?', finalAnswer: 'node-3: /var is 91% full.', provider: 'openai' });
    expect((fromLogs.metadata.otel as { spanId: string }).spanId).toBe(report.older.chatSpanId);
    expect(fromLogs.toolCalls).toEqual([expect.objectContaining({ name: 'df', input: { host: 'node-3' }, observation: '/var 91%', status: 'success' })]);
  });

  it('maps a real Vercel AI SDK generateText run: question, answer, reasoning, tool call, usage, metadata ids', () => {
    const run = mine.interactions.find((i) => traceOf(i) === report.vercel)!;
    expect(run).toMatchObject({
      question: 'scale checkout to 5 replicas',
      finalAnswer: 'Scaled checkout to 5 replicas.',
      model: 'mock-model-1',
      provider: 'mock-provider',
      sessionId: 'vercel-session',
      userId: 'dave',
      status: 'success',
      usage: { inputTokens: 60, outputTokens: 20 },
      thoughts: [expect.objectContaining({ content: 'scaling is reversible' })],
    });
    expect(run.toolCalls).toEqual([expect.objectContaining({ name: 'scale', input: { deployment: 'checkout', replicas: 5 }, observation: { ok: true, deployment: 'checkout', replicas: 5 }, status: 'success' })]);
    expect(mine.events.filter((e) => e.interactionId === run.interactionId).map((e) => e.eventType)).toEqual(['action_started', 'action_completed']);
  });

  it('stores each record once although every span was sent twice', () => {
    // current: 1 interaction, 8 events; older: 1 from spans + 1 from logs; vercel: 1 interaction, 2 events
    expect(mine.interactions).toHaveLength(4);
    expect(mine.events).toHaveLength(10);
  });
});

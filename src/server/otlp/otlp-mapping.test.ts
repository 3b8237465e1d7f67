import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { SERVER_AGENT_ID } from '../tenancy/access-audit.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';
import { span, spanId, traceId, tracesRequest, type SpanSpec } from './test-support/otlp-json.js';
import { T0, opsAgentTrace } from './test-support/ops-agent-trace.js';

let t: TestServer;
afterEach(async () => {
  await t.close();
});

async function postTraces(body: unknown, token = t.keyA) {
  const res = await t.server.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json', ...bearer(token) }, payload: JSON.stringify(body) });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

async function get<T>(url: string, token = t.keyA): Promise<T> {
  const res = await t.server.app.inject({ method: 'GET', url, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

const interactions = (query = '') => get<{ items: Interaction[] }>(`/v1/interactions?order=asc${query}`).then((p) => p.items);
// reads are audited in the reader's org (auditrail.query events): leave those out
const events = (query = '') => get<{ items: AuditEvent[] }>(`/v1/events?order=asc&limit=1000${query}`).then((p) => p.items.filter((e) => e.agentId !== SERVER_AGENT_ID));

describe('OTLP traces: current GenAI conventions', () => {
  it('makes an invoke_agent trace one interaction with question, model, usage, thoughts, tool calls and answer', async () => {
    t = await startTestServer();
    const trace = opsAgentTrace();
    const res = await postTraces(tracesRequest(Object.values(trace.spans)));
    expect(res).toEqual({ status: 200, body: {} });

    const [one, ...rest] = await interactions();
    expect(rest).toHaveLength(0);
    expect(one).toMatchObject({
      orgId: 'org_a',
      timestamp: new Date(T0).toISOString(),
      sessionId: 'conv-42',
      userId: 'alice',
      agentId: 'agent-7',
      clientIp: '10.0.0.7',
      userAgent: 'curl/8.5',
      question: trace.question,
      model: 'gpt-4o',
      provider: 'openai',
      cluster: 'prod-eu',
      finalAnswer: 'It is OOMKilled: raise its memory limit.',
      status: 'success',
      totalDurationMs: 900,
      assistantDurationMs: 290 + 470,
      usage: { inputTokens: 300, outputTokens: 60 },
      thoughts: [{ sequence: 0, content: 'look at the pod events first' }],
    });
    expect(one!.metadata.otel).toMatchObject({ signal: 'traces', traceId: trace.traceId, spanId: trace.ids.agent, service: 'ops-agent', finishReasons: ['stop'] });
    expect(one!.toolCalls).toEqual([
      {
        sequence: 0,
        name: 'kubectl_describe',
        input: { pod: 'payments-1' },
        observation: 'Last State: Terminated, Reason: OOMKilled',
        durationMs: 40,
        startedAt: new Date(T0 + 310).toISOString(),
        status: 'success',
        errorMessage: null,
        actionId: `otel-${trace.traceId}-${trace.ids.describe}`,
      },
      expect.objectContaining({ sequence: 1, name: 'kubectl_delete_pod', status: 'rejected', errorMessage: 'no deletions during business hours', actionId: `otel-${trace.traceId}-${trace.ids.remove}` }),
      expect.objectContaining({ sequence: 2, name: 'prometheus_query', input: { query: 'up' }, status: 'error', errorMessage: 'prometheus: timeout after 5s', durationMs: 30 }),
    ]);
  });

  it('makes each execute_tool span seed-000 action events linked to the interaction, approvals and rejections included', async () => {
    t = await startTestServer();
    const trace = opsAgentTrace();
    await postTraces(tracesRequest(Object.values(trace.spans)));
    const [interaction] = await interactions();
    const detail = await get<Interaction & { events: AuditEvent[] }>(`/v1/interactions/${interaction!.interactionId}`);
    const byAction = (id: string) => detail.events.filter((e) => e.actionId === `otel-${trace.traceId}-${id}`);

    expect(byAction(trace.ids.describe).map((e) => e.eventType)).toEqual(['action_started', 'action_completed']);
    expect(byAction(trace.ids.describe)[1]).toMatchObject({
      actionName: 'kubectl_describe',
      actionParams: { pod: 'payments-1' },
      sessionId: 'conv-42',
      userId: 'alice',
      agentId: 'agent-7',
      capabilityType: 'function',
      success: true,
      durationMs: 40,
      timestamp: new Date(T0 + 350).toISOString(),
      metadata: { result: 'Last State: Terminated, Reason: OOMKilled', otel: expect.objectContaining({ toolCallId: 'call_1', interactionLink: 'in-request' }) },
    });
    const remove = byAction(trace.ids.remove);
    expect(remove.map((e) => e.eventType)).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
    expect(remove[2]).toMatchObject({ approvalGranted: false, approver: 'bob', reason: 'no deletions during business hours', severity: 'warning', requiresApproval: true });
    expect(remove[3]).toMatchObject({ success: false, reason: 'no deletions during business hours' });
    const query = byAction(trace.ids.query);
    expect(query.map((e) => e.eventType)).toEqual(['action_started', 'action_failed']);
    expect(query[1]).toMatchObject({ success: false, errorMessage: 'prometheus: timeout after 5s', severity: 'error', durationMs: 30 });
  });

  it('stores nothing twice when the same spans are sent again, in one request or in pieces', async () => {
    t = await startTestServer();
    const trace = opsAgentTrace();
    const all = tracesRequest(Object.values(trace.spans));
    await postTraces(all);
    const before = { interactions: await interactions(), events: await events() };
    expect(await postTraces(all)).toEqual({ status: 200, body: {} });
    await postTraces(tracesRequest([trace.spans.describe, trace.spans.query]));
    expect(await interactions()).toEqual(before.interactions);
    expect(await events()).toEqual(before.events);
  });

  it('gives an approval timed by span events its own times, and a granted approval', async () => {
    t = await startTestServer();
    const trace = traceId();
    const agent = spanId();
    const tool = spanId();
    await postTraces(
      tracesRequest([
        span({ traceId: trace, spanId: agent, name: 'invoke_agent a', startMs: T0, endMs: T0 + 5000, attributes: { 'gen_ai.operation.name': 'invoke_agent' } }),
        span({
          traceId: trace,
          spanId: tool,
          parentSpanId: agent,
          name: 'execute_tool restart',
          startMs: T0 + 100,
          endMs: T0 + 4000,
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'restart' },
          events: [
            { name: 'auditrail.approval_requested', timeMs: T0 + 110 },
            { name: 'auditrail.approval_granted', timeMs: T0 + 3000, attributes: { 'auditrail.approval.approver': 'carol', 'auditrail.approval.reason': 'change ticket 42' } },
          ],
        }),
      ]),
    );
    const list = await events();
    expect(list.map((e) => [e.eventType, e.timestamp])).toEqual([
      ['action_started', new Date(T0 + 100).toISOString()],
      ['approval_requested', new Date(T0 + 110).toISOString()],
      ['approval_granted', new Date(T0 + 3000).toISOString()],
      ['action_completed', new Date(T0 + 4000).toISOString()],
    ]);
    expect(list[2]).toMatchObject({ approvalGranted: true, approver: 'carol', reason: 'change ticket 42' });
    // the model id falls back to "unknown", the session to the trace
    expect((await interactions())[0]).toMatchObject({ model: 'unknown', sessionId: `otel-trace-${trace}`, question: '' });
  });

  it('orders the events of one span by life cycle even within one millisecond', async () => {
    t = await startTestServer();
    const trace = traceId();
    await postTraces(
      tracesRequest([
        span({
          traceId: trace,
          spanId: spanId(),
          name: 'execute_tool rm',
          startMs: T0,
          endMs: T0,
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'rm', 'auditrail.action.rejected': true, 'auditrail.action.rejection_reason': 'policy: no rm -rf' },
        }),
      ]),
    );
    const list = await events();
    expect(list.map((e) => e.eventType)).toEqual(['action_started', 'action_rejected']);
    expect(list[1]).toMatchObject({ reason: 'policy: no rm -rf', interactionId: null, sessionId: `otel-trace-${trace}`, userId: 'unknown', agentId: 'ops-agent' });
  });
});

describe('OTLP traces: spans of one trace in different requests', () => {
  it('links tool spans sent before their agent span to it, and the agent span gathers their tool calls', async () => {
    t = await startTestServer();
    const trace = opsAgentTrace();
    // a BatchSpanProcessor exports what has ended: the tools and the first chat, then the rest
    await postTraces(tracesRequest([trace.spans.chat1, trace.spans.describe, trace.spans.remove]));
    expect(await interactions()).toHaveLength(1); // the orphan chat span is an interaction of its own, nothing is lost
    await postTraces(tracesRequest([trace.spans.query, trace.spans.chat2, trace.spans.agent]));

    const all = await interactions();
    expect(all).toHaveLength(2);
    const agent = all.find((i) => i.metadata.otel && (i.metadata.otel as { spanId: string }).spanId === trace.ids.agent)!;
    expect(agent.toolCalls.map((c) => [c.name, c.status])).toEqual([
      ['kubectl_describe', 'success'],
      ['kubectl_delete_pod', 'rejected'],
      ['prometheus_query', 'error'],
    ]);
    expect(agent.toolCalls[0]).toMatchObject({ input: { pod: 'payments-1' }, observation: 'Last State: Terminated, Reason: OOMKilled', durationMs: 40 });
    const early = (await events()).filter((e) => e.actionName === 'kubectl_describe');
    expect(early.every((e) => e.interactionId === agent.interactionId)).toBe(true);
    expect((early[0]!.metadata.otel as { interactionLink: string }).interactionLink).toBe('parent-span');
  });

  it('makes a model call outside any agent an interaction of its own', async () => {
    t = await startTestServer();
    const trace = traceId();
    const http = spanId();
    await postTraces(
      tracesRequest([
        span({ traceId: trace, spanId: http, name: 'POST /api/ask', startMs: T0, endMs: T0 + 100, attributes: { 'http.request.method': 'POST' } }),
        span({
          traceId: trace,
          spanId: spanId(),
          parentSpanId: http,
          name: 'chat claude-sonnet-4',
          startMs: T0 + 5,
          endMs: T0 + 95,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'anthropic',
            'gen_ai.request.model': 'claude-sonnet-4',
            'gen_ai.conversation.id': 'c-1',
            'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]),
            'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'stop' }]),
          },
        }),
      ]),
    );
    expect(await interactions()).toEqual([expect.objectContaining({ question: 'hi', finalAnswer: 'hello', model: 'claude-sonnet-4', provider: 'anthropic', sessionId: 'c-1', totalDurationMs: 90, assistantDurationMs: 90 })]);
  });

  it('folds a sub-agent into the outermost agent of the request', async () => {
    t = await startTestServer();
    const trace = traceId();
    const outer = spanId();
    const inner = spanId();
    const agent = (id: string, parent: string | undefined, name: string, start: number, end: number): SpanSpec => ({
      traceId: trace,
      spanId: id,
      ...(parent ? { parentSpanId: parent } : {}),
      name: `invoke_agent ${name}`,
      startMs: start,
      endMs: end,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name },
    });
    await postTraces(
      tracesRequest([
        span(agent(outer, undefined, 'planner', T0, T0 + 100)),
        span(agent(inner, outer, 'researcher', T0 + 10, T0 + 90)),
        span({ traceId: trace, spanId: spanId(), parentSpanId: inner, name: 'execute_tool search', startMs: T0 + 20, endMs: T0 + 30, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' } }),
      ]),
    );
    const list = await interactions();
    expect(list.map((i) => [i.agentId, i.toolCalls.map((c) => c.name)])).toEqual([['planner', ['search']]]);
  });
});

describe('OTLP traces: older dialect and the Vercel AI SDK', () => {
  it('reads gen_ai.system, OpenLLMetry flattened gen_ai.prompt / gen_ai.completion and older usage names', async () => {
    t = await startTestServer();
    const trace = traceId();
    await postTraces(
      tracesRequest([
        span({
          traceId: trace,
          spanId: spanId(),
          name: 'openai.chat',
          startMs: T0,
          endMs: T0 + 700,
          attributes: {
            'gen_ai.system': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.prompt.0.role': 'system',
            'gen_ai.prompt.0.content': 'be brief',
            'gen_ai.prompt.1.role': 'user',
            'gen_ai.prompt.1.content': 'list failing pods',
            'gen_ai.completion.0.role': 'assistant',
            'gen_ai.completion.0.finish_reason': 'tool_calls',
            'gen_ai.completion.0.tool_calls.0.id': 'call_9',
            'gen_ai.completion.0.tool_calls.0.name': 'kubectl_get_pods',
            'gen_ai.completion.0.tool_calls.0.arguments': '{"namespace":"payments"}',
            'gen_ai.usage.prompt_tokens': 30,
            'gen_ai.usage.completion_tokens': 12,
          },
        }),
      ]),
    );
    const [one] = await interactions();
    expect(one).toMatchObject({ question: 'list failing pods', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 30, outputTokens: 12 }, finalAnswer: null });
    // a call the model asked for with no tool span: recorded as pending
    expect(one!.toolCalls).toEqual([expect.objectContaining({ name: 'kubectl_get_pods', input: { namespace: 'payments' }, status: 'pending', actionId: null })]);
  });

  it('reads the older per-message span events and gen_ai.content.* events', async () => {
    t = await startTestServer();
    const trace = traceId();
    await postTraces(
      tracesRequest([
        span({
          traceId: trace,
          spanId: spanId(),
          name: 'chat gpt-4o',
          startMs: T0,
          endMs: T0 + 100,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'az.ai.inference', 'gen_ai.request.model': 'gpt-4o' },
          events: [
            { name: 'gen_ai.user.message', timeMs: T0, attributes: { 'gen_ai.event.content': JSON.stringify({ role: 'user', content: 'disk usage on node-3?' }) } },
            { name: 'gen_ai.choice', timeMs: T0 + 100, attributes: { 'gen_ai.event.content': JSON.stringify({ index: 0, finish_reason: 'stop', message: { content: '91% on /var' } }) } },
          ],
        }),
        span({
          traceId: traceId(),
          spanId: spanId(),
          name: 'chat gpt-4o',
          startMs: T0 + 200,
          endMs: T0 + 300,
          attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o' },
          events: [
            { name: 'gen_ai.content.prompt', timeMs: T0 + 200, attributes: { 'gen_ai.prompt': JSON.stringify([{ role: 'user', content: 'restart nginx?' }]) } },
            { name: 'gen_ai.content.completion', timeMs: T0 + 300, attributes: { 'gen_ai.completion': JSON.stringify([{ role: 'assistant', content: 'Not needed.' }]) } },
          ],
        }),
      ]),
    );
    expect((await interactions()).map((i) => [i.provider, i.question, i.finalAnswer])).toEqual([
      ['az.ai.inference', 'disk usage on node-3?', '91% on /var'],
      ['openai', 'restart nginx?', 'Not needed.'],
    ]);
  });

  it('maps Vercel AI SDK ai.* spans: generateText, doGenerate steps, toolCall, reasoning, usage, metadata ids', async () => {
    t = await startTestServer();
    const trace = traceId();
    const outer = spanId();
    const step = (id: string, start: number, attrs: Record<string, string | number>): Record<string, unknown> =>
      span({ traceId: trace, spanId: id, parentSpanId: outer, name: 'ai.generateText.doGenerate', startMs: start, endMs: start + 100, attributes: { 'ai.operationId': 'ai.generateText.doGenerate', 'gen_ai.system': 'openai.chat', 'gen_ai.request.model': 'gpt-4o', ...attrs } });
    await postTraces(
      tracesRequest([
        span({
          traceId: trace,
          spanId: outer,
          name: 'ai.generateText',
          startMs: T0,
          endMs: T0 + 400,
          attributes: {
            'ai.operationId': 'ai.generateText',
            'ai.model.id': 'gpt-4o',
            'ai.model.provider': 'openai.chat',
            'ai.prompt': JSON.stringify({ system: 'be careful', prompt: 'scale checkout to 5 replicas' }),
            'ai.response.text': 'Scaled checkout to 5 replicas.',
            'ai.usage.inputTokens': 50,
            'ai.usage.outputTokens': 15,
            'ai.telemetry.metadata.sessionId': 's-vercel',
            'ai.telemetry.metadata.userId': 'dave',
          },
        }),
        step(spanId(), T0 + 10, {
          'ai.response.reasoning': 'a scale is reversible, go ahead',
          'ai.response.toolCalls': JSON.stringify([{ toolCallId: 'tc1', toolName: 'scale', input: '{"deployment":"checkout","replicas":5}' }]),
          'ai.response.finishReason': 'tool-calls',
        }),
        span({
          traceId: trace,
          spanId: spanId(),
          parentSpanId: outer,
          name: 'ai.toolCall',
          startMs: T0 + 120,
          endMs: T0 + 180,
          attributes: { 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'scale', 'ai.toolCall.id': 'tc1', 'ai.toolCall.args': '{"deployment":"checkout","replicas":5}', 'ai.toolCall.result': '{"ok":true}' },
        }),
        step(spanId(), T0 + 200, { 'ai.response.text': 'Scaled checkout to 5 replicas.', 'ai.response.finishReason': 'stop' }),
      ]),
    );
    const [one] = await interactions();
    expect(one).toMatchObject({
      question: 'scale checkout to 5 replicas',
      finalAnswer: 'Scaled checkout to 5 replicas.',
      model: 'gpt-4o',
      provider: 'openai.chat',
      sessionId: 's-vercel',
      userId: 'dave',
      usage: { inputTokens: 50, outputTokens: 15 },
      thoughts: [{ sequence: 0, content: 'a scale is reversible, go ahead' }],
      assistantDurationMs: 200,
    });
    expect(one!.toolCalls).toEqual([expect.objectContaining({ name: 'scale', input: { deployment: 'checkout', replicas: 5 }, observation: { ok: true }, status: 'success', durationMs: 60 })]);
    expect((await events()).map((e) => [e.eventType, e.actionName, e.interactionId])).toEqual([
      ['action_started', 'scale', one!.interactionId],
      ['action_completed', 'scale', one!.interactionId],
    ]);
  });
});

describe('OTLP traces: what is refused', () => {
  it('rejects spans with unusable ids or times one by one, with partialSuccess, and stores the rest', async () => {
    t = await startTestServer();
    const good = opsAgentTrace();
    const bad = [
      { ...span({ traceId: traceId(), spanId: spanId(), name: 'x', startMs: T0, endMs: T0 }), traceId: 'not-hex' },
      { ...span({ traceId: traceId(), spanId: spanId(), name: 'y', startMs: T0, endMs: T0 }), spanId: '0000000000000000' },
      span({ traceId: traceId(), spanId: spanId(), name: 'z', startMs: T0 + 10, endMs: T0 }),
    ];
    const res = await postTraces(tracesRequest([...bad, ...Object.values(good.spans)]));
    expect(res.status).toBe(200);
    const partial = res.body.partialSuccess as { rejectedSpans: string; errorMessage: string };
    expect(partial.rejectedSpans).toBe('3');
    expect(partial.errorMessage).toMatch(/span 0: traceId is not 16 non-zero bytes/);
    expect(partial.errorMessage).toMatch(/span 2: endTimeUnixNano/);
    expect(await interactions()).toHaveLength(1);
  });

  it('rejects a span whose record breaks a limit (here a __proto__ key in tool arguments) and keeps its siblings', async () => {
    t = await startTestServer();
    const trace = traceId();
    const res = await postTraces(
      tracesRequest([
        span({ traceId: trace, spanId: spanId(), name: 'execute_tool a', startMs: T0, endMs: T0 + 1, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'a', 'gen_ai.tool.call.arguments': '{"__proto__":{"admin":true}}' } }),
        span({ traceId: trace, spanId: spanId(), name: 'execute_tool b', startMs: T0, endMs: T0 + 1, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'b' } }),
      ]),
    );
    expect(res.body.partialSuccess).toMatchObject({ rejectedSpans: '1', errorMessage: expect.stringMatching(/__proto__/) });
    expect((await events()).map((e) => e.actionName)).toEqual(['b', 'b']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('survives hostile nesting: a choice nested 10,000 levels deep and a key-value list 1,000 levels deep', async () => {
    t = await startTestServer();
    let choice = '{"content":"deepest"}';
    for (let i = 0; i < 10_000; i++) choice = `{"message":${choice}}`;
    let kv: Record<string, unknown> = { stringValue: 'x' };
    for (let i = 0; i < 1_000; i++) kv = { kvlistValue: { values: [{ key: 'k', value: kv }] } };
    const hostile = span({ traceId: traceId(), spanId: spanId(), name: 'chat', startMs: T0, endMs: T0 + 1, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.completion': choice } });
    (hostile.attributes as unknown[]).push({ key: 'gen_ai.tool.call.arguments', value: kv });
    const res = await postTraces(tracesRequest([hostile, ...Object.values(opsAgentTrace().spans)]));
    expect(res.status).toBe(200);
    expect(await interactions()).toHaveLength(2);
  });

  it('keeps orgs apart: the same spans sent with two orgs keys are stored in each org', async () => {
    t = await startTestServer();
    const trace = opsAgentTrace();
    const body = tracesRequest(Object.values(trace.spans));
    await postTraces(body, t.keyA);
    await postTraces(body, t.keyB);
    const a = await get<{ items: Interaction[] }>('/v1/interactions', t.keyA);
    const b = await get<{ items: Interaction[] }>('/v1/interactions', t.keyB);
    expect(a.items.map((i) => i.orgId)).toEqual(['org_a']);
    expect(b.items.map((i) => i.orgId)).toEqual(['org_b']);
    expect(a.items[0]!.interactionId).not.toBe(b.items[0]!.interactionId);
  });
});

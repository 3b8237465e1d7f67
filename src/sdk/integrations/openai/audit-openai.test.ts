import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage, isAuditrailError, type Interaction } from '../../../core/index.js';
import { createAuditLogger, type AuditLogger } from '../../logger.js';
import { createAuditScope } from '../scope/audit-scope.js';
import { runWithAudit } from '../scope/current-audit.js';
import { recordedInteractions } from '../test-support/recorded.js';
import { auditOpenAI } from './audit-openai.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeReply } from './test-support/fake-openai-server.js';

const GET_PODS = { id: 'call_pods_1', name: 'get_pods', arguments: '{"namespace":"payments"}' };
const USAGE = { input: 12, output: 5, cached: 2, reasoning: 1 };
const RECORDED_USAGE = { inputTokens: 12, outputTokens: 5, totalTokens: 17, cachedInputTokens: 2, reasoningTokens: 1 };

let fake: FakeOpenAIServer;
let replies: FakeReply[];
let logger: AuditLogger;
let raw: OpenAI;
let client: OpenAI;

const start = async (chunkDelayMs = 0) => {
  fake = await startFakeOpenAI({ respond: () => replies.shift() ?? { content: 'no more replies' }, chunkDelayMs });
  raw = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 });
  client = auditOpenAI(raw, { logger, sessionId: 'sess-1' });
};
const only = async (): Promise<Interaction> => {
  const items = await recordedInteractions(logger);
  expect(items).toHaveLength(1);
  return items[0]!;
};

beforeEach(async () => {
  replies = [];
  logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'org_1', userId: 'u1' }, flushOnExit: false, onDiagnostic: () => {} });
  await start();
});
afterEach(async () => {
  await fake.close();
  await logger.shutdown();
});

describe('auditOpenAI: chat completions', () => {
  it('records question, model, base URL, answer, usage and finish reason, and returns the completion unchanged', async () => {
    replies.push({ content: 'payments has 3 pods.', usage: USAGE, model: 'gpt-4o-2024-08-06' });
    const { data, response } = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'You are an ops copilot.' },
          { role: 'user', content: 'earlier question' },
          { role: 'assistant', content: 'earlier answer' },
          { role: 'user', content: [{ type: 'text', text: 'How many pods' }, { type: 'text', text: 'in payments?' }] },
        ],
      })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('payments has 3 pods.');
    expect(response.headers.get('x-request-id')).toBe('req_fake_1');
    const i = await only();
    expect(i).toMatchObject({
      orgId: 'org_1',
      sessionId: 'sess-1',
      userId: 'u1',
      question: 'How many pods\nin payments?',
      model: 'gpt-4o',
      provider: 'openai',
      baseUrl: fake.baseURL,
      finalAnswer: 'payments has 3 pods.',
      status: 'success',
      usage: RECORDED_USAGE,
      metadata: { operation: 'openai.chat.completions.create', finishReason: 'stop', responseModel: 'gpt-4o-2024-08-06', responseId: 'chatcmpl-fake-1' },
    });
    expect(i.toolCalls).toEqual([]);
    expect(i.totalDurationMs).toBeGreaterThanOrEqual(0);
    expect(i.assistantDurationMs).toBeGreaterThanOrEqual(0);
  });

  it('records the tool calls the model asked for as pending, with the tool call id as actionId', async () => {
    replies.push({ toolCalls: [GET_PODS, { id: 'call_2', name: 'get_events', arguments: 'not json' }], usage: USAGE });
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Why is payments down?' }] });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    const i = await only();
    expect(i.toolCalls).toEqual([
      expect.objectContaining({ sequence: 0, name: 'get_pods', input: { namespace: 'payments' }, status: 'pending', actionId: 'call_pods_1' }),
      expect.objectContaining({ sequence: 1, name: 'get_events', input: 'not json', status: 'pending', actionId: 'call_2' }),
    ]);
    expect(i.metadata).toMatchObject({ finishReason: 'tool_calls' });
    expect(i.finalAnswer).toBeUndefined();
  });

  it('streams the same chunks to the caller and records answer, tool calls, usage and time to first token', async () => {
    await fake.close();
    await start(15);
    const turn = { content: 'Restarting payments now.', toolCalls: [GET_PODS], usage: USAGE };
    replies.push(turn, turn);
    const body = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Fix payments' }], stream: true as const, stream_options: { include_usage: true } };
    const seen: unknown[] = [];
    for await (const chunk of await client.chat.completions.create(body)) seen.push(chunk);
    const direct: unknown[] = [];
    for await (const chunk of await raw.chat.completions.create(body)) direct.push(chunk);
    expect(seen).toEqual(direct);
    const i = await only();
    expect(i).toMatchObject({ question: 'Fix payments', finalAnswer: 'Restarting payments now.', usage: RECORDED_USAGE, status: 'success', metadata: { finishReason: 'tool_calls' } });
    expect(i.toolCalls).toEqual([expect.objectContaining({ name: 'get_pods', input: { namespace: 'payments' }, status: 'pending', actionId: 'call_pods_1' })]);
    const ttft = i.metrics.find((m) => m.name === 'time_to_first_token')!.durationMs;
    expect(ttft).toBeGreaterThanOrEqual(15);
    expect(ttft).toBeLessThanOrEqual(i.totalDurationMs!);
  });

  it('records a stream the caller breaks out of as cancelled, with the answer so far', async () => {
    replies.push({ hang: { afterChunks: 3, turn: { content: 'one two three four', pieces: ['one ', 'two ', 'three ', 'four'] } } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count' }], stream: true });
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text === 'one two ') break;
    }
    const i = await only();
    expect(i).toMatchObject({ question: 'count', status: 'cancelled', finalAnswer: 'one two ' });
  });

  it('records a stream aborted through its controller as cancelled', async () => {
    replies.push({ hang: { afterChunks: 2, turn: { content: 'abcdef', pieces: ['ab', 'cd', 'ef'] } } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'letters' }], stream: true });
    const chunks: unknown[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (chunks.length === 2) stream.controller.abort();
    }
    const i = await only();
    expect(i).toMatchObject({ status: 'cancelled', finalAnswer: 'ab' });
  });

  it('records an API error with its message and status error, and the caller still gets the error', async () => {
    replies.push({ error: { status: 429, message: 'Rate limit reached for gpt-4o' } });
    const err = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const i = await only();
    expect(i).toMatchObject({ question: 'hi', model: 'gpt-4o', status: 'error' });
    expect(i.errorMessage).toContain('Rate limit reached for gpt-4o');
  });

  it('records one interaction for a call retried by the client, with the last error', async () => {
    raw = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 1 });
    client = auditOpenAI(raw, { logger });
    replies.push({ error: { status: 500, message: 'first failure' } }, { error: { status: 500, message: 'server melted' } });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow(/server melted/);
    expect(fake.requests).toHaveLength(2);
    const i = await only();
    expect(i.status).toBe('error');
    expect(i.errorMessage).toContain('server melted');
  });
});

describe('auditOpenAI: responses', () => {
  const turn = { reasoning: 'The pods are crash looping; check events.', toolCalls: [GET_PODS], content: 'Checking payments pods.', usage: USAGE };

  it('records input, reasoning as a thought, function calls, answer and usage', async () => {
    replies.push(turn);
    const response = await client.responses.create({ model: 'gpt-5', input: 'Why is payments crash looping?' });
    expect(response.output_text).toBe('Checking payments pods.');
    const i = await only();
    expect(i).toMatchObject({
      question: 'Why is payments crash looping?',
      model: 'gpt-5',
      finalAnswer: 'Checking payments pods.',
      usage: RECORDED_USAGE,
      status: 'success',
      metadata: { operation: 'openai.responses.create', finishReason: 'completed', responseId: 'resp_fake_1' },
    });
    expect(i.thoughts.map((t) => t.content)).toEqual(['The pods are crash looping; check events.']);
    expect(i.toolCalls).toEqual([expect.objectContaining({ name: 'get_pods', input: { namespace: 'payments' }, status: 'pending', actionId: 'call_pods_1' })]);
  });

  it('streams the same events and records from the completed response, with time to first token', async () => {
    await fake.close();
    await start(10);
    replies.push(turn, turn);
    const body = { model: 'gpt-5', input: [{ role: 'user' as const, content: 'first' }, { role: 'assistant' as const, content: 'ok' }, { role: 'user' as const, content: [{ type: 'input_text' as const, text: 'second' }] }], stream: true as const };
    const seen: unknown[] = [];
    for await (const event of await client.responses.create(body)) seen.push(event);
    const direct: unknown[] = [];
    for await (const event of await raw.responses.create(body)) direct.push(event);
    expect(seen).toEqual(direct);
    expect(seen.map((e) => (e as { type: string }).type)).toContain('response.output_text.delta');
    const i = await only();
    expect(i).toMatchObject({ question: 'second', finalAnswer: 'Checking payments pods.', usage: RECORDED_USAGE, status: 'success' });
    expect(i.toolCalls).toHaveLength(1);
    expect(i.metrics.find((m) => m.name === 'time_to_first_token')!.durationMs).toBeGreaterThanOrEqual(10);
  });

  it('records an error answer of the Responses API', async () => {
    replies.push({ error: { status: 400, message: 'Invalid model gpt-0' } });
    await expect(client.responses.create({ model: 'gpt-0', input: 'x' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect(await only()).toMatchObject({ model: 'gpt-0', status: 'error', errorMessage: expect.stringContaining('Invalid model gpt-0') });
  });
});

describe('auditOpenAI inside a scope', () => {
  it('adds every model call to the current interaction instead of recording its own', async () => {
    replies.push({ content: 'Let me look.', toolCalls: [GET_PODS], usage: USAGE }, { content: 'payments-7f9 is OOMKilled.', usage: { input: 30, output: 8 } });
    const scope = createAuditScope(logger, { sessionId: 'http-session' });
    await runWithAudit(scope, async () => {
      const messages = [{ role: 'user' as const, content: 'Why is payments down?' }];
      await client.chat.completions.create({ model: 'gpt-4o', messages });
      await scope.tool('get_pods', { namespace: 'payments' }, () => ['payments-7f9']);
      await client.chat.completions.create({ model: 'gpt-4o', messages });
    });
    const id = scope.end();
    const items = await recordedInteractions(logger);
    expect(items.map((i) => i.interactionId)).toEqual([id]);
    const i = items[0]!;
    expect(i).toMatchObject({
      sessionId: 'http-session',
      question: 'Why is payments down?',
      model: 'gpt-4o',
      provider: 'openai',
      baseUrl: fake.baseURL,
      finalAnswer: 'payments-7f9 is OOMKilled.',
      usage: { inputTokens: 42, outputTokens: 13, totalTokens: 55, cachedInputTokens: 2, reasoningTokens: 1 },
    });
    expect(i.thoughts.map((t) => t.content)).toEqual(['Let me look.', 'Model asked for tool calls: get_pods({"namespace":"payments"})']);
    expect(i.toolCalls.map((t) => [t.name, t.status])).toEqual([['get_pods', 'success']]);
    expect(i.metrics.filter((m) => m.name === 'openai.chat.completions.create')).toHaveLength(2);
  });

  it('records its own interactions when useCurrentScope is false', async () => {
    const own = auditOpenAI(raw, { logger, useCurrentScope: false, sessionId: 's2' });
    const scope = createAuditScope(logger, { question: 'outer', model: 'm', sessionId: 's1' });
    await runWithAudit(scope, () => own.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'inner' }] }));
    scope.end();
    const items = await recordedInteractions(logger, 2);
    expect(items.map((i) => [i.question, i.sessionId]).sort()).toEqual([
      ['inner', 's2'],
      ['outer', 's1'],
    ]);
  });
});

describe('auditOpenAI wrapper', () => {
  it('leaves the original client unaudited and keeps its other resources working', async () => {
    await raw.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'direct' }] });
    expect(client.baseURL).toBe(fake.baseURL);
    expect(typeof client.models.list).toBe('function');
    await logger.flush();
    expect(await logger.countInteractions({})).toBe(0);
  });

  it('refuses bad options, listing every problem', () => {
    let err: unknown;
    try {
      auditOpenAI(raw, { logger: undefined as never, provider: '' });
    } catch (e) {
      err = e;
    }
    expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/logger.*provider/s);
  });
});

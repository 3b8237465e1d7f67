import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage, type MemoryStorage } from '../core/index.js';
import type { Diagnostic } from './diagnostics.js';
import { createAuditLogger, type AuditLogger } from './logger.js';

const context = { orgId: 'org_1', userId: 'user_1', agentId: 'ops', sessionId: 'session_1' };
let logger: AuditLogger;
let storage: MemoryStorage;
let diagnostics: Diagnostic[];

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-03-01T10:00:00.000Z') });
  storage = createMemoryStorage();
  diagnostics = [];
  logger = createAuditLogger({ storage, context, flushOnExit: false, onDiagnostic: (d) => diagnostics.push(d) });
});
afterEach(async () => {
  vi.useRealTimers();
  await logger.shutdown();
});

const init = { question: 'Why is the api pod restarting?', model: 'gpt-4o', provider: 'openai', baseUrl: 'https://api.openai.com/v1', cluster: 'prod-eu', clientIp: '10.0.0.7', userAgent: 'ops-cli/1.2' };

async function stored(id: string) {
  await logger.flush();
  const i = await storage.getInteraction(id);
  if (!i) throw new Error('interaction not stored');
  return i;
}

describe('interaction builder', () => {
  it('records the whole interaction once, with thoughts and tool calls in call order and their timings', async () => {
    const b = logger.interaction({ ...init, metadata: { ticket: 'OPS-1' } });
    b.thought('Check the pod first.');
    vi.advanceTimersByTime(10);
    const describe1 = b.toolCall('kubectl_describe', { pod: 'api-1' });
    vi.advanceTimersByTime(120);
    describe1.end('OOMKilled', { actionId: 'act_1' });
    b.thought('Memory limit too low; check the logs.');
    const logs = b.toolCall('kubectl_logs', { pod: 'api-1', tail: 50 });
    vi.advanceTimersByTime(30);
    logs.fail(new Error('timeout'));
    b.usage({ inputTokens: 900, outputTokens: 120 }).usage({ totalTokens: 1020 });
    b.metric('llm_first_token', 340.6).assistantDuration(800).parseDuration(3);
    b.answer('The pod is OOMKilled: raise its memory limit.');
    vi.advanceTimersByTime(40);
    const id = b.end();

    const i = await stored(id);
    expect(i).toMatchObject({
      interactionId: id,
      timestamp: '2026-03-01T10:00:00.000Z',
      orgId: 'org_1',
      sessionId: 'session_1',
      userId: 'user_1',
      agentId: 'ops',
      ...init,
      finalAnswer: 'The pod is OOMKilled: raise its memory limit.',
      status: 'success',
      totalDurationMs: 200,
      assistantDurationMs: 800,
      parseDurationMs: 3,
      metrics: [{ name: 'llm_first_token', durationMs: 341 }],
      usage: { inputTokens: 900, outputTokens: 120, totalTokens: 1020 },
      metadata: { ticket: 'OPS-1' },
    });
    expect(i.thoughts.map((t) => [t.sequence, t.content])).toEqual([
      [0, 'Check the pod first.'],
      [2, 'Memory limit too low; check the logs.'],
    ]);
    expect(i.toolCalls).toEqual([
      expect.objectContaining({ sequence: 1, name: 'kubectl_describe', input: { pod: 'api-1' }, observation: 'OOMKilled', status: 'success', durationMs: 120, actionId: 'act_1', startedAt: '2026-03-01T10:00:00.010Z' }),
      expect.objectContaining({ sequence: 3, name: 'kubectl_logs', status: 'error', errorMessage: 'timeout', durationMs: 30 }),
    ]);
  });

  it('is idempotent: a second end() returns the same id and records nothing more; later calls are ignored', async () => {
    const b = logger.interaction(init);
    const id = b.answer('first').end();
    expect(b.ended).toBe(true);
    b.thought('too late').answer('changed');
    expect(b.end({ status: 'error' })).toBe(id);
    const i = await stored(id);
    expect(i).toMatchObject({ finalAnswer: 'first', status: 'success', thoughts: [] });
    expect(logger.stats().recorded).toBe(1);
  });

  it('times an async tool with tool(), recording its result or its error (rethrown)', async () => {
    const b = logger.interaction(init);
    const out = await b.tool('get_pods', { ns: 'default' }, async () => {
      vi.advanceTimersByTime(25);
      return { count: 3 };
    });
    expect(out).toEqual({ count: 3 });
    await expect(b.tool('delete_pod', { pod: 'x' }, () => Promise.reject(new Error('forbidden')))).rejects.toThrow('forbidden');
    const i = await stored(b.end());
    expect(i.toolCalls.map((t) => [t.name, t.status, t.observation ?? null, t.errorMessage ?? null, t.durationMs])).toEqual([
      ['get_pods', 'success', { count: 3 }, null, 25],
      ['delete_pod', 'error', null, 'forbidden', 0],
    ]);
  });

  it('measures named durations with time()', async () => {
    const b = logger.interaction(init);
    const stop = b.time('retrieval');
    vi.advanceTimersByTime(75);
    expect(stop()).toBe(75);
    const i = await stored(b.end());
    expect(i.metrics).toEqual([{ name: 'retrieval', durationMs: 75 }]);
  });

  it('records a failed interaction with its error, and a tool call still running as pending', async () => {
    const b = logger.interaction(init);
    b.toolCall('slow_tool', {});
    const i = await stored(b.fail(new Error('model overloaded')));
    expect(i).toMatchObject({ status: 'error', errorMessage: 'model overloaded' });
    expect(i.toolCalls[0]).toMatchObject({ status: 'pending' });
    expect(i.toolCalls[0]!.durationMs ?? null).toBeNull();
  });

  it('lets the interaction override the context and is queryable by the seed-002 filters', async () => {
    const child = logger.withContext({ sessionId: 'session_9' });
    child.interaction({ ...init, userId: 'user_9' }).answer('a').end({ status: 'timeout' });
    logger.interaction({ ...init, model: 'llama3', cluster: 'dev' }).end();
    await logger.flush();
    expect(await logger.countInteractions({ sessionId: 'session_9', userId: 'user_9', status: 'timeout' })).toBe(1);
    expect(await logger.countInteractions({ model: 'llama3', cluster: 'dev' })).toBe(1);
    expect(await logger.countInteractions({ provider: 'openai' })).toBe(2);
  });

  it('reports an interaction without a question as rejected, naming the field', async () => {
    const id = logger.interaction({ model: 'gpt-4o' } as never).end();
    expect(typeof id).toBe('string');
    await logger.flush();
    expect(logger.stats()).toMatchObject({ rejected: 1, exported: 0 });
    expect(diagnostics[0]?.message).toContain('interaction(): question');
  });
});

import { generateText, stepCountIs, streamText, tool, type ModelMessage } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryStorage, isAuditrailError, type AuditEvent, type Interaction } from '../../../core/index.js';
import { createAuditLogger, type AuditLogger } from '../../logger.js';
import { createAuditScope } from '../scope/audit-scope.js';
import { runWithAudit } from '../scope/current-audit.js';
import { recordedInteractions } from '../test-support/recorded.js';
import { auditGenerateText, auditStreamText } from './audit-ai-sdk.js';

const usage = (input: number, output: number, reasoning = 0) => ({
  inputTokens: { total: input, noCache: input - 2, cacheRead: 2, cacheWrite: 0 },
  outputTokens: { total: output, text: output - reasoning, reasoning },
});
const stop = { unified: 'stop' as const, raw: 'stop' };
const toolCalls = { unified: 'tool-calls' as const, raw: 'tool_calls' };
const callPods = { type: 'tool-call' as const, toolCallId: 'call_1', toolName: 'get_pods', input: '{"namespace":"payments"}' };

const ran: string[] = [];
const tools = {
  get_pods: tool({
    description: 'List pods',
    inputSchema: z.object({ namespace: z.string() }),
    execute: async ({ namespace }) => (ran.push(`get_pods ${namespace}`), [`${namespace}-7f9`]),
  }),
  restart: tool({
    description: 'Restart a deployment',
    inputSchema: z.object({ deployment: z.string() }),
    execute: async ({ deployment }): Promise<string> => {
      throw new Error(`restart of ${deployment} refused by the cluster`);
    },
  }),
  delete_pod: tool({
    description: 'Delete a pod',
    inputSchema: z.object({ pod: z.string() }),
    needsApproval: true,
    execute: async ({ pod }) => (ran.push(`delete_pod ${pod}`), `deleted ${pod}`),
  }),
};

let logger: AuditLogger;
let audited: typeof generateText;
let auditedStream: typeof streamText;
const context = { orgId: 'org_1', userId: 'alice', agentId: 'ops-agent', sessionId: 'sess-ai' };
beforeEach(() => {
  ran.length = 0;
  logger = createAuditLogger({ storage: createMemoryStorage(), context, flushOnExit: false, onDiagnostic: () => {} });
  audited = auditGenerateText(generateText, { logger });
  auditedStream = auditStreamText(streamText, { logger });
});
afterEach(() => logger.shutdown());

const only = async (): Promise<Interaction> => {
  const items = await recordedInteractions(logger);
  expect(items).toHaveLength(1);
  return items[0]!;
};
const events = async (): Promise<AuditEvent[]> => {
  await logger.flush();
  return (await logger.queryEvents({ limit: 100, order: 'asc' })).items;
};

describe('auditGenerateText', () => {
  it('records a multi-step run: reasoning and text before the tool call, the tool run, answer, usage summed', async () => {
    const model = new MockLanguageModelV3({
      modelId: 'ops-model-1',
      provider: 'mock-provider',
      doGenerate: [
        { content: [{ type: 'reasoning', text: 'Pods first.' }, { type: 'text', text: 'Let me check.' }, callPods], finishReason: toolCalls, usage: usage(10, 5, 1), warnings: [] },
        { content: [{ type: 'text', text: 'payments-7f9 is the only pod.' }], finishReason: stop, usage: usage(20, 7), warnings: [] },
      ],
    });
    const result = await audited({ model, tools, stopWhen: stepCountIs(5), system: 'You are an ops copilot.', prompt: 'Which pods run in payments?' });
    expect(result.text).toBe('payments-7f9 is the only pod.');
    expect(ran).toEqual(['get_pods payments']);
    const i = await only();
    expect(i).toMatchObject({
      orgId: 'org_1',
      sessionId: 'sess-ai',
      question: 'Which pods run in payments?',
      model: 'ops-model-1',
      provider: 'mock-provider',
      finalAnswer: 'payments-7f9 is the only pod.',
      status: 'success',
      usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42, cachedInputTokens: 4, reasoningTokens: 1 },
      metadata: { finishReason: 'stop' },
    });
    expect(i.thoughts.map((t) => [t.sequence, t.content])).toEqual([
      [0, 'Pods first.'],
      [1, 'Let me check.'],
    ]);
    expect(i.toolCalls).toEqual([expect.objectContaining({ sequence: 2, name: 'get_pods', input: { namespace: 'payments' }, observation: ['payments-7f9'], status: 'success', actionId: 'call_1' })]);
    expect(i.metrics.filter((m) => m.name === 'ai.step')).toHaveLength(2);
  });

  it('records a tool that throws as an error tool call, the run going on', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: [
        { content: [{ type: 'tool-call', toolCallId: 'call_r', toolName: 'restart', input: '{"deployment":"payments"}' }], finishReason: toolCalls, usage: usage(5, 2), warnings: [] },
        { content: [{ type: 'text', text: 'I could not restart payments.' }], finishReason: stop, usage: usage(9, 4), warnings: [] },
      ],
    });
    await audited({ model, tools, stopWhen: stepCountIs(3), prompt: 'restart payments' });
    const i = await only();
    expect(i).toMatchObject({ status: 'success', finalAnswer: 'I could not restart payments.' });
    expect(i.toolCalls).toEqual([expect.objectContaining({ name: 'restart', status: 'error', errorMessage: 'restart of payments refused by the cluster', actionId: 'call_r' })]);
  });

  it('records a model error with its message, and the caller gets the error', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        throw new Error('provider overloaded');
      },
    });
    await expect(audited({ model, prompt: 'hello?', maxRetries: 0 })).rejects.toThrow('provider overloaded');
    expect(await only()).toMatchObject({ question: 'hello?', status: 'error', errorMessage: 'provider overloaded' });
  });

  it('records tool approvals as the seed sequence across the two runs: requested, then granted and completed', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: [
        { content: [{ type: 'tool-call', toolCallId: 'call_d', toolName: 'delete_pod', input: '{"pod":"payments-7f9"}' }], finishReason: toolCalls, usage: usage(5, 2), warnings: [] },
        { content: [{ type: 'text', text: 'Deleted payments-7f9.' }], finishReason: stop, usage: usage(9, 3), warnings: [] },
      ],
    });
    const first = await audited({ model, tools, stopWhen: stepCountIs(3), prompt: 'delete the crashing pod' });
    const request = first.content.find((p) => p.type === 'tool-approval-request')!;
    expect(ran).toEqual([]);
    const messages: ModelMessage[] = [
      { role: 'user', content: 'delete the crashing pod' },
      ...first.response.messages,
      { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: request.approvalId, approved: true, reason: 'on-call said yes' }] },
    ];
    const second = await audited({ model, tools, stopWhen: stepCountIs(3), messages });
    expect(second.text).toBe('Deleted payments-7f9.');
    expect(ran).toEqual(['delete_pod payments-7f9']);

    const [one, two] = await recordedInteractions(logger, 2);
    expect(one!.toolCalls).toEqual([expect.objectContaining({ name: 'delete_pod', input: { pod: 'payments-7f9' }, status: 'pending', actionId: 'call_d' })]);
    expect(one!.metadata).toMatchObject({ pendingApprovals: 1, finishReason: 'tool-calls' });
    expect(two!.toolCalls).toEqual([expect.objectContaining({ name: 'delete_pod', status: 'success', observation: 'deleted payments-7f9', actionId: 'call_d' })]);
    const trail = await events();
    expect(trail.map((e) => [e.eventType, e.actionId, e.interactionId])).toEqual([
      ['action_started', 'call_d', one!.interactionId],
      ['approval_requested', 'call_d', one!.interactionId],
      ['approval_granted', 'call_d', two!.interactionId],
      ['action_completed', 'call_d', two!.interactionId],
    ]);
    expect(trail[2]).toMatchObject({ ...context, actionName: 'delete_pod', actionParams: { pod: 'payments-7f9' }, approvalGranted: true, reason: 'on-call said yes', requiresApproval: true });
    expect(trail[3]).toMatchObject({ success: true, metadata: { result: 'deleted payments-7f9' } });
  });

  it('records a denied approval as denied then rejected, and the tool as a rejected tool call', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: [
        { content: [{ type: 'tool-call', toolCallId: 'call_d', toolName: 'delete_pod', input: '{"pod":"api-1"}' }], finishReason: toolCalls, usage: usage(5, 2), warnings: [] },
        { content: [{ type: 'text', text: 'Understood, not deleting.' }], finishReason: stop, usage: usage(9, 3), warnings: [] },
      ],
    });
    const first = await audited({ model, tools, prompt: 'delete api-1' });
    const request = first.content.find((p) => p.type === 'tool-approval-request')!;
    await audited({
      model,
      tools,
      messages: [{ role: 'user', content: 'delete api-1' }, ...first.response.messages, { role: 'tool', content: [{ type: 'tool-approval-response', approvalId: request.approvalId, approved: false, reason: 'peak hours' }] }],
    });
    expect(ran).toEqual([]);
    const [, two] = await recordedInteractions(logger, 2);
    expect(two!.toolCalls).toEqual([expect.objectContaining({ name: 'delete_pod', status: 'rejected', errorMessage: 'peak hours', actionId: 'call_d' })]);
    const trail = await events();
    expect(trail.map((e) => e.eventType)).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
    expect(trail[3]).toMatchObject({ reason: 'peak hours', success: false });
  });
});

describe('auditStreamText', () => {
  const streamOf = (chunks: unknown[], initialDelayInMs = 0) => ({ stream: simulateReadableStream({ chunks: chunks as never[], initialDelayInMs, chunkDelayInMs: 5 }) });

  it('records a streamed run when the stream finishes, with time to first token and the reasoning before the tool call', async () => {
    const model = new MockLanguageModelV3({
      modelId: 'ops-model-1',
      doStream: [
        streamOf(
          [
            { type: 'stream-start', warnings: [] },
            { type: 'reasoning-start', id: 'r1' },
            { type: 'reasoning-delta', id: 'r1', delta: 'Check ' },
            { type: 'reasoning-delta', id: 'r1', delta: 'the pods.' },
            { type: 'reasoning-end', id: 'r1' },
            { type: 'tool-input-start', id: 'call_1', toolName: 'get_pods' },
            { type: 'tool-input-delta', id: 'call_1', delta: '{"namespace":"payments"}' },
            { type: 'tool-input-end', id: 'call_1' },
            callPods,
            { type: 'finish', finishReason: toolCalls, usage: usage(10, 4) },
          ],
          30,
        ),
        streamOf([
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't1' },
          { type: 'text-delta', id: 't1', delta: 'One pod: ' },
          { type: 'text-delta', id: 't1', delta: 'payments-7f9.' },
          { type: 'text-end', id: 't1' },
          { type: 'finish', finishReason: stop, usage: usage(15, 6) },
        ]),
      ],
    });
    const result = auditedStream({ model, tools, stopWhen: stepCountIs(3), prompt: 'pods in payments?' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('One pod: payments-7f9.');
    const i = await only();
    expect(i).toMatchObject({ question: 'pods in payments?', model: 'ops-model-1', finalAnswer: 'One pod: payments-7f9.', status: 'success', usage: { inputTokens: 25, outputTokens: 10, totalTokens: 35 } });
    expect(i.thoughts).toEqual([expect.objectContaining({ sequence: 0, content: 'Check the pods.' })]);
    expect(i.toolCalls).toEqual([expect.objectContaining({ sequence: 1, name: 'get_pods', observation: ['payments-7f9'], status: 'success' })]);
    const ttft = i.metrics.find((m) => m.name === 'time_to_first_token')!.durationMs;
    expect(ttft).toBeGreaterThanOrEqual(30);
    expect(ttft).toBeLessThanOrEqual(i.totalDurationMs!);
  });

  it('records a stream error as error and still calls the caller onError', async () => {
    const model = new MockLanguageModelV3({
      doStream: streamOf([
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't1' },
        { type: 'text-delta', id: 't1', delta: 'partial' },
        { type: 'error', error: new Error('connection reset by provider') },
      ]),
    });
    const seen: unknown[] = [];
    const result = auditedStream({ model, prompt: 'status?', onError: ({ error }) => void seen.push(error) });
    await result.consumeStream();
    expect(seen).toHaveLength(1);
    expect(await only()).toMatchObject({ question: 'status?', status: 'error', errorMessage: 'connection reset by provider' });
  });

  it('records an aborted stream as cancelled', async () => {
    const model = new MockLanguageModelV3({
      doStream: streamOf([{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: 't1' }, ...Array.from({ length: 50 }, (_, n) => ({ type: 'text-delta', id: 't1', delta: `${n} ` }))]),
    });
    const abort = new AbortController();
    const result = auditedStream({ model, prompt: 'count slowly', abortSignal: abort.signal });
    let n = 0;
    for await (const delta of result.textStream) {
      void delta;
      if (++n === 3) abort.abort();
    }
    expect(await only()).toMatchObject({ question: 'count slowly', status: 'cancelled' });
  });
});

describe('AI SDK integration inside a scope', () => {
  it('adds the run to the current interaction', async () => {
    const model = new MockLanguageModelV3({ modelId: 'm-1', doGenerate: { content: [{ type: 'text', text: 'green' }], finishReason: stop, usage: usage(3, 1), warnings: [] } });
    const scope = createAuditScope(logger, { question: 'cluster health?', sessionId: 'http-9' });
    await runWithAudit(scope, () => audited({ model, prompt: 'summarize cluster health' }));
    const id = scope.end();
    const [i] = await recordedInteractions(logger);
    expect(i).toMatchObject({ interactionId: id, question: 'cluster health?', model: 'm-1', finalAnswer: 'green', sessionId: 'http-9', usage: { inputTokens: 3, outputTokens: 1 } });
  });

  it('refuses bad options', () => {
    let err: unknown;
    try {
      auditGenerateText(generateText, { logger: 1 as never, extra: true } as never);
    } catch (e) {
      err = e;
    }
    expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
  });
});

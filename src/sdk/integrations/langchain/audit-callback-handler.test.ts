import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, type RunnableConfig } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { FakeListChatModel, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryStorage, isAuditrailError, type Interaction } from '../../../core/index.js';
import { createAuditLogger, type AuditLogger } from '../../logger.js';
import { createAuditScope } from '../scope/audit-scope.js';
import { runWithAudit } from '../scope/current-audit.js';
import { recordedInteractions } from '../test-support/recorded.js';
import { AuditCallbackHandler } from './audit-callback-handler.js';

/** FakeListChatModel answering with token usage and a finish reason, as provider models do. */
class UsageChatModel extends FakeListChatModel {
  override async _generate(messages: BaseMessage[], options?: this['ParsedCallOptions']): Promise<ChatResult> {
    const result = await super._generate(messages, options);
    const message = result.generations[0]!.message as AIMessage;
    message.usage_metadata = { input_tokens: 20, output_tokens: 7, total_tokens: 27, input_token_details: { cache_read: 4 }, output_token_details: { reasoning: 2 } };
    message.response_metadata = { model_name: 'fake-ops-model-001', finish_reason: 'stop' };
    return result;
  }
}

const getPods = tool(async ({ namespace }: { namespace: string }) => `${namespace}: payments-7f9 (CrashLoopBackOff)`, {
  name: 'get_pods',
  description: 'List pods of a namespace',
  schema: z.object({ namespace: z.string() }),
});
const restart = tool(
  async ({ deployment }: { deployment: string }): Promise<string> => {
    throw new Error(`forbidden: cannot restart ${deployment}`);
  },
  { name: 'restart_deployment', description: 'Restart a deployment', schema: z.object({ deployment: z.string() }) },
);

let logger: AuditLogger;
let handler: AuditCallbackHandler;
beforeEach(() => {
  logger = createAuditLogger({ storage: createMemoryStorage(), context: { orgId: 'org_1', sessionId: 'sess-lc' }, flushOnExit: false, onDiagnostic: () => {} });
  handler = new AuditCallbackHandler({ logger });
});
afterEach(() => logger.shutdown());

const only = async (): Promise<Interaction> => {
  const items = await recordedInteractions(logger);
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe('AuditCallbackHandler', () => {
  it('records a prompt | model chain as one interaction: question, model, answer, usage, finish reason', async () => {
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You are an ops copilot.'],
      ['human', '{question}'],
    ]);
    const model = new UsageChatModel({ responses: ['payments-7f9 is crash looping.'] });
    const out = await prompt.pipe(model).invoke({ question: 'What is wrong with payments?' }, { callbacks: [handler] });
    expect(out.content).toBe('payments-7f9 is crash looping.');
    const i = await only();
    expect(i).toMatchObject({
      orgId: 'org_1',
      sessionId: 'sess-lc',
      question: 'What is wrong with payments?',
      model: 'UsageChatModel', // LangChain's ls_model_name (fake models: their class name)
      provider: 'FakeListChatModel', // ls_provider
      finalAnswer: 'payments-7f9 is crash looping.',
      status: 'success',
      usage: { inputTokens: 20, outputTokens: 7, totalTokens: 27, cachedInputTokens: 4, reasoningTokens: 2 },
      metadata: { langchain: { kind: 'chain' }, finishReason: 'stop', responseModel: 'fake-ops-model-001' },
    });
    expect(i.metrics.map((m) => m.name)).toContain('langchain.llm');
    expect(i.assistantDurationMs).toBeGreaterThanOrEqual(0);
  });

  it('records an agent loop: the tool calls asked for as a thought, tool runs with input and output, and the final answer', async () => {
    const planner = new FakeStreamingChatModel({
      responses: [new AIMessage('Checking the pods first.')],
      chunks: [new AIMessageChunk({ content: 'Checking the pods first.', tool_calls: [{ name: 'get_pods', args: { namespace: 'payments' }, id: 'call_1', type: 'tool_call' }] })],
    });
    const answerer = new FakeListChatModel({ responses: ['payments-7f9 is in CrashLoopBackOff.'] });
    const agent = RunnableLambda.from(async (input: { input: string }, config?: RunnableConfig) => {
      const messages: BaseMessage[] = [new SystemMessage('ops'), new HumanMessage(input.input)];
      const ai = (await planner.invoke(messages, config)) as AIMessage;
      messages.push(ai);
      for (const call of ai.tool_calls ?? []) messages.push(await getPods.invoke(call, config));
      const final = await answerer.invoke(messages, config);
      return { output: final.content };
    }).withConfig({ runName: 'ops-agent' });

    const out = await agent.invoke({ input: 'Why is payments down?' }, { callbacks: [handler] });
    expect(out.output).toBe('payments-7f9 is in CrashLoopBackOff.');
    const i = await only();
    expect(i).toMatchObject({ question: 'Why is payments down?', finalAnswer: 'payments-7f9 is in CrashLoopBackOff.', status: 'success', metadata: { langchain: { name: 'ops-agent' } } });
    expect(i.thoughts.map((t) => t.content)).toEqual(['Checking the pods first.', 'Model asked for tool calls: get_pods({"namespace":"payments"})']);
    expect(i.toolCalls).toEqual([
      expect.objectContaining({ sequence: 2, name: 'get_pods', input: { namespace: 'payments' }, observation: 'payments: payments-7f9 (CrashLoopBackOff)', status: 'success', actionId: 'call_1' }),
    ]);
    expect(i.toolCalls[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(i.metrics.filter((m) => m.name === 'langchain.llm')).toHaveLength(2);
  });

  it('records time to first token and the streamed answer of a streamed model', async () => {
    const model = new FakeListChatModel({ responses: ['all pods healthy'], sleep: 10 });
    let text = '';
    for await (const chunk of await model.stream('status of payments?', { callbacks: [handler] })) text += typeof chunk.content === 'string' ? chunk.content : '';
    expect(text).toBe('all pods healthy');
    const i = await only();
    expect(i).toMatchObject({ question: 'status of payments?', finalAnswer: 'all pods healthy', status: 'success' });
    const ttft = i.metrics.find((m) => m.name === 'time_to_first_token')!.durationMs;
    expect(ttft).toBeGreaterThanOrEqual(10);
    expect(ttft).toBeLessThanOrEqual(i.totalDurationMs!);
  });

  it('records a failing tool as an error tool call and a failing run as an error interaction', async () => {
    const chain = RunnableLambda.from(async (input: { input: string }, config?: RunnableConfig) => {
      await restart.invoke({ deployment: 'payments' }, config);
      return { output: input.input };
    });
    await expect(chain.invoke({ input: 'restart payments' }, { callbacks: [handler] })).rejects.toThrow(/forbidden/);
    const i = await only();
    expect(i).toMatchObject({ question: 'restart payments', status: 'error', errorMessage: 'forbidden: cannot restart payments' });
    expect(i.toolCalls).toEqual([expect.objectContaining({ name: 'restart_deployment', input: { deployment: 'payments' }, status: 'error', errorMessage: 'forbidden: cannot restart payments' })]);
  });

  it('records agent actions (the thought) and the agent finish, as AgentExecutor reports them', async () => {
    const manager = CallbackManager.configure([handler])!;
    const run = await manager.handleChainStart({ lc: 1, type: 'not_implemented', id: ['langchain', 'agents', 'AgentExecutor'] }, { input: 'Is payments healthy?' }, undefined, undefined, undefined, undefined, 'AgentExecutor');
    await run.handleAgentAction({ tool: 'get_pods', toolInput: { namespace: 'payments' }, log: 'Thought: I should list the pods in payments.\nAction: get_pods' });
    const observation = await getPods.invoke({ namespace: 'payments' }, { callbacks: run.getChild() });
    await run.handleAgentEnd({ returnValues: { output: 'payments is not healthy.' }, log: 'Thought: a pod is crash looping.\nFinal Answer: payments is not healthy.' });
    await run.handleChainEnd({ output: 'payments is not healthy.' });
    expect(observation).toContain('CrashLoopBackOff');
    const i = await only();
    expect(i).toMatchObject({ question: 'Is payments healthy?', finalAnswer: 'payments is not healthy.', metadata: { langchain: { name: 'AgentExecutor' } } });
    expect(i.thoughts.map((t) => [t.sequence, t.content])).toEqual([
      [0, 'Thought: I should list the pods in payments.\nAction: get_pods'],
      [2, 'Thought: a pod is crash looping.\nFinal Answer: payments is not healthy.'],
    ]);
    expect(i.toolCalls).toEqual([expect.objectContaining({ sequence: 1, name: 'get_pods', observation: 'payments: payments-7f9 (CrashLoopBackOff)' })]);
  });

  it('records a model called on its own, and its error', async () => {
    const ok = new FakeListChatModel({ responses: ['pong'] });
    await ok.invoke([new HumanMessage('ping')], { callbacks: [handler] });
    const broken = new FakeListChatModel({ responses: ['never'] });
    await expect(broken.invoke('hello?', { callbacks: [handler], thrownErrorString: 'model overloaded' })).rejects.toThrow('model overloaded');
    const items = await recordedInteractions(logger, 2);
    expect(items.map((i) => [i.question, i.model, i.status, i.finalAnswer ?? null, i.errorMessage ?? null])).toEqual([
      ['ping', 'FakeListChatModel', 'success', 'pong', null],
      ['hello?', 'FakeListChatModel', 'error', null, 'model overloaded'],
    ]);
  });

  it('records concurrent runs as separate interactions', async () => {
    const model = new FakeListChatModel({ responses: ['a', 'b'], sleep: 5 });
    const chain = RunnableLambda.from(async (q: string, config?: RunnableConfig) => (await model.invoke(q, config)).content);
    await Promise.all([chain.invoke('first', { callbacks: [handler] }), chain.invoke('second', { callbacks: [handler] })]);
    const items = await recordedInteractions(logger, 2);
    expect(items.map((i) => i.question).sort()).toEqual(['first', 'second']);
    expect(items.every((i) => i.metrics.filter((m) => m.name === 'langchain.llm').length === 1)).toBe(true);
  });

  it('adds runs to the current interaction inside a scope', async () => {
    const model = new FakeListChatModel({ responses: ['all green'] });
    const scope = createAuditScope(logger, { question: 'status?', sessionId: 'http-1' });
    await runWithAudit(scope, () => model.invoke('cluster status', { callbacks: [handler] }));
    const id = scope.end();
    const [i] = await recordedInteractions(logger);
    expect(i).toMatchObject({ interactionId: id, question: 'status?', model: 'FakeListChatModel', finalAnswer: 'all green', sessionId: 'http-1' });
  });

  it('refuses bad options', () => {
    let err: unknown;
    try {
      new AuditCallbackHandler({ logger: null as never });
    } catch (e) {
      err = e;
    }
    expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
  });
});

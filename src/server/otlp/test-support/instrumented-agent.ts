/**
 * A fake ops agent instrumented with a real OpenTelemetry tracer (and logger), the way a
 * GenAI instrumentation library would: one run per dialect, plus a real Vercel AI SDK
 * generateText call with its own telemetry. Used in-process and by otlp-agent-child.ts.
 */
import { SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';

export const QUESTION = 'why is the payments pod restarting?';
export const ANSWER = 'It is OOMKilled: raise its memory limit.';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function child(tracer: Tracer, parent: Span, name: string, attributes: Record<string, string | number | boolean | string[]>): Span {
  return tracer.startSpan(name, { attributes }, trace.setSpan(context.active(), parent));
}

/** The current dialect: invoke_agent → chat → execute_tool ×3 (ok, denied, failing) → chat. */
export async function runCurrentDialect(tracer: Tracer, conversationId: string): Promise<string> {
  const agent = tracer.startSpan('invoke_agent ops-copilot', {
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'openai',
      'gen_ai.agent.name': 'ops-copilot',
      'gen_ai.agent.id': 'agent-7',
      'gen_ai.conversation.id': conversationId,
      'gen_ai.request.model': 'gpt-4o',
      'user.id': 'alice',
    },
  });
  const chat1 = child(tracer, agent, 'chat gpt-4o', {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: QUESTION }] }]),
  });
  await sleep(5);
  chat1.setAttributes({
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.output.messages': JSON.stringify([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'look at the pod events first' },
          { type: 'tool_call', id: 'call_1', name: 'kubectl_describe', arguments: { pod: 'payments-1' } },
        ],
        finish_reason: 'tool_calls',
      },
    ]),
    'gen_ai.usage.input_tokens': 100,
    'gen_ai.usage.output_tokens': 20,
  });
  chat1.end();

  const describe = child(tracer, agent, 'execute_tool kubectl_describe', {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'kubectl_describe',
    'gen_ai.tool.call.id': 'call_1',
    'gen_ai.tool.call.arguments': '{"pod":"payments-1"}',
  });
  await sleep(3);
  describe.setAttribute('gen_ai.tool.call.result', 'Reason: OOMKilled');
  describe.end();

  const remove = child(tracer, agent, 'execute_tool kubectl_delete_pod', {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'kubectl_delete_pod',
    'gen_ai.tool.call.arguments': '{"pod":"payments-1"}',
    'auditrail.approval.required': true,
  });
  remove.addEvent('auditrail.approval_requested');
  remove.addEvent('auditrail.approval_denied', { 'auditrail.approval.approver': 'bob', 'auditrail.approval.reason': 'business hours' });
  remove.end();

  const query = child(tracer, agent, 'execute_tool prometheus_query', { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'prometheus_query', 'gen_ai.tool.call.arguments': '{"query":"up"}' });
  query.recordException(new Error('prometheus: timeout after 5s'));
  query.setStatus({ code: SpanStatusCode.ERROR, message: 'prometheus: timeout after 5s' });
  query.end();

  const chat2 = child(tracer, agent, 'chat gpt-4o', { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' });
  await sleep(5);
  chat2.setAttributes({
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' }]),
    'gen_ai.usage.input_tokens': 200,
    'gen_ai.usage.output_tokens': 40,
  });
  chat2.end();
  agent.end();
  return agent.spanContext().traceId;
}

/**
 * The older dialect: gen_ai.system on the spans, the messages as per-message log events
 * (gen_ai.user.message, gen_ai.assistant.message, gen_ai.tool.message, gen_ai.choice) emitted in
 * the chat span's context, as the 1.28-1.36 instrumentations do.
 */
export async function runOlderDialect(tracer: Tracer, logger: Logger): Promise<{ traceId: string; chatSpanId: string }> {
  const agent = tracer.startSpan('invoke_agent legacy-bot', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.system': 'openai', 'gen_ai.agent.name': 'legacy-bot' } });
  const chat = child(tracer, agent, 'chat gpt-4o-mini', { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' });
  const inChat = trace.setSpan(context.active(), chat);
  const emit = (eventName: string, body: Record<string, unknown>) => logger.emit({ eventName, body: body as never, attributes: { 'gen_ai.system': 'openai' }, context: inChat });
  emit('gen_ai.system.message', { content: 'You are a helpful SRE.' });
  emit('gen_ai.user.message', { content: 'which node is low on disk?' });
  emit('gen_ai.assistant.message', { tool_calls: [{ id: 'call_df', type: 'function', function: { name: 'df', arguments: '{"host":"node-3"}' } }] });
  emit('gen_ai.tool.message', { content: '/var 91%', id: 'call_df' });
  await sleep(5);
  emit('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: 'node-3: /var is 91% full.' } });
  chat.setAttributes({ 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18', 'gen_ai.usage.input_tokens': 60, 'gen_ai.usage.output_tokens': 9, 'gen_ai.response.finish_reasons': ['stop'] });
  chat.end();
  agent.end();
  return { traceId: agent.spanContext().traceId, chatSpanId: chat.spanContext().spanId };
}

/**
 * A real Vercel AI SDK run: generateText with a mock model that first asks for a tool, then
 * answers; the SDK's own telemetry makes the ai.* spans.
 */
export async function runVercelAiSdk(tracer: Tracer): Promise<string> {
  let step = 0;
  const model = new MockLanguageModelV3({
    provider: 'mock-provider',
    modelId: 'mock-model-1',
    doGenerate: async () => {
      await sleep(2);
      step++;
      const usage = { inputTokens: { total: 30, noCache: 30, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 10, text: 10, reasoning: undefined } };
      if (step === 1) {
        return {
          content: [
            { type: 'reasoning', text: 'scaling is reversible' },
            { type: 'tool-call', toolCallId: 'tc-1', toolName: 'scale', input: JSON.stringify({ deployment: 'checkout', replicas: 5 }) },
          ],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage,
          warnings: [],
        };
      }
      return { content: [{ type: 'text', text: 'Scaled checkout to 5 replicas.' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] };
    },
  });
  let traceId = '';
  await tracer.startActiveSpan('request', async (outer) => {
    traceId = outer.spanContext().traceId;
    await generateText({
      model,
      prompt: 'scale checkout to 5 replicas',
      tools: {
        scale: tool({
          description: 'scale a deployment',
          inputSchema: z.object({ deployment: z.string(), replicas: z.number() }),
          execute: async ({ deployment, replicas }) => {
            await sleep(2);
            return { ok: true, deployment, replicas };
          },
        }),
      },
      stopWhen: stepCountIs(3),
      experimental_telemetry: { isEnabled: true, tracer, metadata: { sessionId: 'vercel-session', userId: 'dave' } },
    });
    outer.end();
  });
  return traceId;
}

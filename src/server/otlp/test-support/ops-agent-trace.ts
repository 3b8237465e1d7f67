/**
 * A fake ops agent's trace in the current GenAI dialect, as OTLP/JSON spans: invoke_agent → chat
 * (reasoning, a tool call) → three execute_tool spans (one succeeds, one is denied approval, one
 * fails) → chat (the answer).
 */
import { span, spanId, traceId } from './otlp-json.js';

export const T0 = Date.parse('2026-03-01T10:00:00.000Z');

export function opsAgentTrace(trace = traceId()) {
  const ids = { agent: spanId(), chat1: spanId(), describe: spanId(), remove: spanId(), query: spanId(), chat2: spanId() };
  const question = 'why is the payments pod restarting?';
  const agent = span({
    traceId: trace,
    spanId: ids.agent,
    name: 'invoke_agent ops-copilot',
    startMs: T0,
    endMs: T0 + 900,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'openai',
      'gen_ai.agent.name': 'ops-copilot',
      'gen_ai.agent.id': 'agent-7',
      'gen_ai.conversation.id': 'conv-42',
      'gen_ai.request.model': 'gpt-4o',
      'user.id': 'alice',
      'client.address': '10.0.0.7',
      'user_agent.original': 'curl/8.5',
      'auditrail.cluster': 'prod-eu',
    },
  });
  const chat1 = span({
    traceId: trace,
    spanId: ids.chat1,
    parentSpanId: ids.agent,
    name: 'chat gpt-4o',
    startMs: T0 + 10,
    endMs: T0 + 300,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: 'You are an SRE copilot.' }] },
        { role: 'user', parts: [{ type: 'text', content: question }] },
      ]),
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
      'gen_ai.response.finish_reasons': ['tool_calls'],
    },
  });
  const describe = span({
    traceId: trace,
    spanId: ids.describe,
    parentSpanId: ids.agent,
    name: 'execute_tool kubectl_describe',
    startMs: T0 + 310,
    endMs: T0 + 350,
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'kubectl_describe',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.arguments': '{"pod":"payments-1"}',
      'gen_ai.tool.call.result': 'Last State: Terminated, Reason: OOMKilled',
    },
  });
  const remove = span({
    traceId: trace,
    spanId: ids.remove,
    parentSpanId: ids.agent,
    name: 'execute_tool kubectl_delete_pod',
    startMs: T0 + 360,
    endMs: T0 + 362,
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'kubectl_delete_pod',
      'gen_ai.tool.call.arguments': '{"pod":"payments-1"}',
      'auditrail.approval.required': true,
      'auditrail.approval.granted': false,
      'auditrail.approval.approver': 'bob',
      'auditrail.approval.reason': 'no deletions during business hours',
    },
  });
  const query = span({
    traceId: trace,
    spanId: ids.query,
    parentSpanId: ids.agent,
    name: 'execute_tool prometheus_query',
    startMs: T0 + 370,
    endMs: T0 + 400,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'prometheus_query', 'gen_ai.tool.call.arguments': '{"query":"up"}' },
    status: { code: 2, message: 'prometheus: timeout after 5s' },
  });
  const chat2 = span({
    traceId: trace,
    spanId: ids.chat2,
    parentSpanId: ids.agent,
    name: 'chat gpt-4o',
    startMs: T0 + 410,
    endMs: T0 + 880,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: question }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', result: 'OOMKilled' }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'It is OOMKilled: raise its memory limit.' }], finish_reason: 'stop' }]),
      'gen_ai.usage.input_tokens': 200,
      'gen_ai.usage.output_tokens': 40,
    },
  });
  return { traceId: trace, ids, question, spans: { agent, chat1, describe, remove, query, chat2 } };
}

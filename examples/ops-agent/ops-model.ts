/**
 * The "model" of the example: a script for the fake OpenAI server that answers like a Kubernetes
 * copilot would, from the conversation so far (which question, which tool results are in).
 */
import type { FakeReply, FakeRequest } from '../../src/sdk/integrations/openai/test-support/fake-openai-server.js';

interface Message {
  role: string;
  content?: unknown;
  tool_call_id?: string;
}

const call = (id: string, name: string, args: Record<string, unknown>) => ({ id, name, arguments: JSON.stringify(args) });
const usage = (messages: Message[]) => ({ input: 40 + messages.length * 25, output: 18, cached: 16 });

export function opsModel(request: FakeRequest): FakeReply {
  const messages = (request.body.messages ?? []) as Message[];
  const content = [...messages].reverse().find((m) => m.role === 'user')?.content;
  const question = (typeof content === 'string' ? content : '').toLowerCase();
  const results = messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
  const u = usage(messages);

  if (question.includes('restart')) {
    if (results.length === 0) return { content: 'Let me look at the payments pods first.', toolCalls: [call('call_pods', 'get_pods', { namespace: 'payments' })], usage: u };
    if (results.length === 1) return { content: 'payments-7f9 is OOMKilled; a rolling restart should clear it.', toolCalls: [call('call_restart', 'restart_deployment', { namespace: 'payments', deployment: 'payments' })], usage: u };
    return { content: `payments-7f9 had restarted 14 times (OOMKilled). I restarted the payments deployment: ${results[1]}.`, usage: u };
  }
  if (question.includes('delete')) {
    if (results.length === 0) return { content: 'Deleting the namespace removes everything in it.', toolCalls: [call('call_delete', 'delete_namespace', { namespace: 'staging-old' })], usage: u };
    return { content: `I did not delete staging-old: ${results[0]}.`, usage: u };
  }
  if (question.includes('logs')) {
    if (results.length === 0) return { toolCalls: [call('call_logs', 'get_logs', { namespace: 'checkout', pod: 'checkout-5d2' })], usage: u };
    return { content: `I could not read the logs of checkout-5d2 (${results[0]}). Check that the pod still exists.`, usage: u };
  }
  return { content: 'I can look at pods, logs and deployments. What should I check?', usage: u };
}

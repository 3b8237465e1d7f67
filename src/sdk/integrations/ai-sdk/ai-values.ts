import type { TokenUsage } from '../../../core/index.js';

// Structural reads of AI SDK values (model messages, step content, usage): what is used, all optional.
type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Text of a model message's content: a string, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((p) => (obj(p)?.type === 'text' ? (str(obj(p)?.text) ?? '') : ''))
    .filter((t) => t !== '')
    .join('\n');
}

/** The question of a run: the prompt text, or the last user message of prompt/messages. */
export function runQuestion(prompt: unknown, messages: unknown): string {
  if (typeof prompt === 'string') return prompt;
  const list = [...arr(prompt), ...arr(messages)];
  for (let i = list.length - 1; i >= 0; i--) {
    const m = obj(list[i]);
    if (m?.role === 'user') return contentText(m.content);
  }
  return '';
}

/** LanguageModelUsage (AI SDK 6) as auditrail token usage. */
export function usageOf(u: unknown): TokenUsage | undefined {
  const o = obj(u);
  if (!o) return undefined;
  const out: Record<string, number> = {};
  const set = (k: string, v: number | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('inputTokens', num(o.inputTokens));
  set('outputTokens', num(o.outputTokens));
  set('totalTokens', num(o.totalTokens));
  set('cachedInputTokens', num(obj(o.inputTokenDetails)?.cacheReadTokens) ?? num(o.cachedInputTokens));
  set('reasoningTokens', num(obj(o.outputTokenDetails)?.reasoningTokens) ?? num(o.reasoningTokens));
  return Object.keys(out).length ? (out) : undefined;
}

export interface ToolCallInfo {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

export interface ApprovalResponse extends ToolCallInfo {
  approved: boolean;
  reason: string | undefined;
}

/**
 * The approval answers a run starts with: `tool-approval-response` parts of the last (tool)
 * message, each matched to its request and tool call in earlier assistant messages.
 */
export function approvalResponses(messages: unknown): ApprovalResponse[] {
  const list = arr(messages);
  const last = obj(list[list.length - 1]);
  if (last?.role !== 'tool') return [];
  const calls = new Map<string, ToolCallInfo>();
  const requests = new Map<string, string>();
  for (const m of list) {
    const message = obj(m);
    if (message?.role !== 'assistant') continue;
    for (const p of arr(message.content)) {
      const part = obj(p) ?? {};
      const id = str(part.toolCallId);
      if (part.type === 'tool-call' && id) calls.set(id, { toolCallId: id, toolName: str(part.toolName) ?? 'unknown', input: part.input });
      if (part.type === 'tool-approval-request' && id && str(part.approvalId)) requests.set(str(part.approvalId)!, id);
    }
  }
  const out: ApprovalResponse[] = [];
  for (const p of arr(last.content)) {
    const part = obj(p) ?? {};
    if (part.type !== 'tool-approval-response') continue;
    const toolCallId = requests.get(str(part.approvalId) ?? '');
    const call = toolCallId === undefined ? undefined : calls.get(toolCallId);
    if (call) out.push({ ...call, approved: part.approved === true, reason: str(part.reason) });
  }
  return out;
}

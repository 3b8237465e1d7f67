import type { InteractionStatus, TokenUsage } from '../../../core/index.js';
import { parseArguments, type LlmOutcome, type LlmToolRequest } from '../shared/llm-call.js';

// Structural views of the OpenAI payloads: only what is read, all of it optional (compatible
// servers differ), so that no type from the `openai` package is needed at run time.
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Text of a message content: a string, or the text of its text parts joined by newlines. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((p) => str(obj(p)?.text) ?? '')
    .filter((t) => t !== '')
    .join('\n');
}

/** The question of a chat completion request: the last user message. */
export function chatQuestion(body: Obj): string {
  const messages = arr(body.messages);
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = obj(messages[i]);
    if (m?.role === 'user') return contentText(m.content);
  }
  return '';
}

/** The question of a Responses request: `input` text, or its last user message. */
export function responsesQuestion(body: Obj): string {
  if (typeof body.input === 'string') return body.input;
  const items = arr(body.input);
  for (let i = items.length - 1; i >= 0; i--) {
    const m = obj(items[i]);
    if (m?.role === 'user') return contentText(m.content);
  }
  return '';
}

const defined = (u: Record<string, number | undefined>): TokenUsage | undefined => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(u)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length === 0 ? undefined : (out);
};

export function chatUsage(u: unknown): TokenUsage | undefined {
  const o = obj(u);
  if (!o) return undefined;
  return defined({
    inputTokens: num(o.prompt_tokens),
    outputTokens: num(o.completion_tokens),
    totalTokens: num(o.total_tokens),
    cachedInputTokens: num(obj(o.prompt_tokens_details)?.cached_tokens),
    reasoningTokens: num(obj(o.completion_tokens_details)?.reasoning_tokens),
  });
}

export function responsesUsage(u: unknown): TokenUsage | undefined {
  const o = obj(u);
  if (!o) return undefined;
  return defined({
    inputTokens: num(o.input_tokens),
    outputTokens: num(o.output_tokens),
    totalTokens: num(o.total_tokens),
    cachedInputTokens: num(obj(o.input_tokens_details)?.cached_tokens),
    reasoningTokens: num(obj(o.output_tokens_details)?.reasoning_tokens),
  });
}

/** The outcome of a (non-streamed) chat completion: first choice. */
export function chatOutcome(completion: unknown): LlmOutcome {
  const c = obj(completion) ?? {};
  const choice = obj(arr(c.choices)[0]) ?? {};
  const message = obj(choice.message) ?? {};
  const toolRequests: LlmToolRequest[] = arr(message.tool_calls).map((t) => {
    const call = obj(t) ?? {};
    const fn = obj(call.function) ?? {};
    return { id: str(call.id), name: str(fn.name) ?? 'unknown', input: parseArguments(fn.arguments) };
  });
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning);
  return {
    answer: str(message.content) ?? str(message.refusal),
    toolRequests,
    thoughts: reasoning ? [reasoning] : [],
    usage: chatUsage(c.usage),
    finishReason: str(choice.finish_reason),
    responseModel: str(c.model),
    responseId: str(c.id),
  };
}

/** The outcome of a Responses API response object, and the status it means. */
export function responseOutcome(response: unknown): { outcome: LlmOutcome; status: InteractionStatus; error?: string } {
  const r = obj(response) ?? {};
  const thoughts: string[] = [];
  const toolRequests: LlmToolRequest[] = [];
  const texts: string[] = [];
  for (const raw of arr(r.output)) {
    const item = obj(raw) ?? {};
    if (item.type === 'reasoning') {
      for (const s of [...arr(item.summary), ...arr(item.content)]) {
        const t = str(obj(s)?.text);
        if (t) thoughts.push(t);
      }
    } else if (item.type === 'function_call' || item.type === 'custom_tool_call') {
      toolRequests.push({ id: str(item.call_id) ?? str(item.id), name: str(item.name) ?? 'unknown', input: parseArguments(item.arguments ?? item.input) });
    } else if (item.type === 'message') {
      const t = contentText(arr(item.content).filter((p) => obj(p)?.type === 'output_text' || obj(p)?.type === 'refusal').map((p) => ({ text: str(obj(p)?.text) ?? str(obj(p)?.refusal) })));
      if (t) texts.push(t);
    }
  }
  const incomplete = str(obj(r.incomplete_details)?.reason);
  const outcome: LlmOutcome = {
    answer: texts.length ? texts.join('\n') : undefined,
    toolRequests,
    thoughts,
    usage: responsesUsage(r.usage),
    finishReason: incomplete ?? str(r.status),
    responseModel: str(r.model),
    responseId: str(r.id),
  };
  if (r.status === 'failed') return { outcome, status: 'error', error: str(obj(r.error)?.message) ?? 'response failed' };
  return { outcome, status: 'success' };
}

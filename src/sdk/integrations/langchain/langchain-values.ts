import type { TokenUsage } from '../../../core/index.js';
import { parseArguments, type LlmOutcome } from '../shared/llm-call.js';

// Structural reads of LangChain values (messages, generations, chain inputs/outputs): only what
// is used, all optional, so that the handler does not depend on LangChain's classes.
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Text of a message content: a string, or its text blocks joined. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((b) => str(obj(b)?.text) ?? '')
    .filter((t) => t !== '')
    .join('\n');
}

/** A message's type: 'human', 'ai', 'system', 'tool' (instances and serialized forms). */
function messageType(m: unknown): string | undefined {
  const o = obj(m);
  if (!o) return undefined;
  const getType = (o as { _getType?: unknown; getType?: unknown }).getType ?? (o as { _getType?: unknown })._getType;
  if (typeof getType === 'function') return str((getType as () => unknown).call(o));
  return str(o.type) ?? str(o.role);
}

/** The last human message of a list, as text. */
export function lastHumanText(messages: unknown): string | undefined {
  const list = arr(messages);
  for (let i = list.length - 1; i >= 0; i--) {
    const t = messageType(list[i]);
    if (t === 'human' || t === 'user') return messageText(obj(list[i])?.content);
  }
  return undefined;
}

const INPUT_KEYS = ['input', 'question', 'query', 'prompt', 'text'];
const OUTPUT_KEYS = ['output', 'answer', 'text', 'result', 'response'];

/** The question of a chain's inputs: a string, a known key, the last human message, or the only string value. */
export function chainQuestion(inputs: unknown): string | undefined {
  if (typeof inputs === 'string') return inputs;
  const o = obj(inputs);
  if (!o) return lastHumanText(inputs);
  for (const k of INPUT_KEYS) if (typeof o[k] === 'string') return o[k];
  const fromMessages = lastHumanText(o.messages) ?? lastHumanText(o.input);
  if (fromMessages !== undefined) return fromMessages;
  const strings = Object.values(o).filter((v): v is string => typeof v === 'string');
  return strings.length === 1 ? strings[0] : undefined;
}

/** The answer in a chain's outputs: a string, a known key, an AI message, or the last AI message. */
export function chainAnswer(outputs: unknown): string | undefined {
  if (typeof outputs === 'string') return outputs;
  const o = obj(outputs);
  if (!o) return undefined;
  if (messageType(o) === 'ai') return messageText(o.content);
  for (const k of OUTPUT_KEYS) if (typeof o[k] === 'string') return o[k];
  const messages = arr(o.messages);
  const last = messages[messages.length - 1];
  if (messageType(last) === 'ai') return messageText(obj(last)?.content);
  return undefined;
}

/** What a tool returned: a ToolMessage's content (or artifact), else the value. */
export function toolObservation(output: unknown): unknown {
  const o = obj(output);
  if (o && messageType(o) === 'tool') return o.artifact ?? o.content;
  return output;
}

function usageOf(message: Obj | undefined, llmOutput: Obj | undefined): TokenUsage | undefined {
  const u = obj(message?.usage_metadata);
  if (u) {
    const out: Record<string, number> = {};
    const set = (k: string, v: unknown) => {
      const n = num(v);
      if (n !== undefined) out[k] = n;
    };
    set('inputTokens', u.input_tokens);
    set('outputTokens', u.output_tokens);
    set('totalTokens', u.total_tokens);
    set('cachedInputTokens', obj(u.input_token_details)?.cache_read);
    set('reasoningTokens', obj(u.output_token_details)?.reasoning);
    return Object.keys(out).length ? (out) : undefined;
  }
  const t = obj(llmOutput?.tokenUsage) ?? obj(llmOutput?.estimatedTokenUsage);
  if (!t) return undefined;
  const input = num(t.promptTokens);
  const output = num(t.completionTokens);
  const total = num(t.totalTokens);
  return { ...(input === undefined ? {} : { inputTokens: input }), ...(output === undefined ? {} : { outputTokens: output }), ...(total === undefined ? {} : { totalTokens: total }) };
}

/** The outcome of an LLM run: first generation's text or message, its tool calls, usage, finish reason. */
export function llmOutcome(result: unknown): LlmOutcome {
  const r = obj(result) ?? {};
  const gen = obj(arr(arr(r.generations)[0])[0]) ?? {};
  const message = obj(gen.message);
  const meta = obj(message?.response_metadata) ?? {};
  const info = obj(gen.generationInfo) ?? {};
  const toolRequests = arr(message?.tool_calls).map((t) => {
    const c = obj(t) ?? {};
    return { id: str(c.id), name: str(c.name) ?? 'unknown', input: parseArguments(c.args) };
  });
  const text = message ? messageText(message.content) : str(gen.text);
  const reasoning = str(obj(message?.additional_kwargs)?.reasoning_content);
  return {
    answer: text === '' ? undefined : text,
    toolRequests,
    thoughts: reasoning ? [reasoning] : [],
    usage: usageOf(message, obj(r.llmOutput)),
    finishReason: str(info.finish_reason) ?? str(meta.finish_reason) ?? str(meta.stop_reason),
    responseModel: str(meta.model_name) ?? str(meta.model),
  };
}

/** The model of an LLM run: LangChain's ls_model_name, the invocation params, or the class name. */
export function modelOf(llm: unknown, extraParams: unknown, metadata: unknown, runName: string | undefined): { model: string; provider: string } {
  const m = obj(metadata) ?? {};
  const p = obj(obj(extraParams)?.invocation_params) ?? {};
  const id = arr(obj(llm)?.id);
  const model = str(m.ls_model_name) ?? str(p.model) ?? str(p.model_name) ?? str(p.modelName) ?? runName ?? str(id[id.length - 1]) ?? 'unknown';
  return { model: model === '' ? 'unknown' : model, provider: str(m.ls_provider) ?? 'langchain' };
}

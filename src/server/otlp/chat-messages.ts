import type { AttributeValue } from './otlp-types.js';

/** One part of a chat message, whichever dialect it came in. */
export type MessagePart =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'reasoning'; readonly content: string; readonly timestamp?: string }
  | { readonly type: 'tool_call'; readonly id: string | undefined; readonly name: string; readonly arguments: unknown }
  | { readonly type: 'tool_call_response'; readonly id: string | undefined; readonly result: unknown };

export interface ChatMessage {
  readonly role: string;
  readonly parts: readonly MessagePart[];
  readonly finishReason?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A messages attribute or body (a JSON string, or a structured OTLP value) as chat messages. Reads
 * the GenAI convention's `{role, parts: [{type, content}...], finish_reason}`, OpenAI-style
 * `{role, content, tool_calls, tool_call_id}` (the older per-message events), content arrays of the
 * Vercel AI SDK and Anthropic (`text`, `reasoning`, `thinking`, `tool-call`, `tool_use`,
 * `tool-result`, `tool_result`), and a choice `{message, finish_reason}`. Plain text that is not
 * JSON becomes one message of `defaultRole`.
 */
export function toMessages(value: AttributeValue | undefined, defaultRole: string): ChatMessage[] {
  const v = parseJsonText(value);
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v === '' ? [] : [{ role: defaultRole, parts: [{ type: 'text', content: v }] }];
  if (Array.isArray(v)) return v.flatMap((m) => (isObj(m) ? [toMessage(m, defaultRole)] : typeof m === 'string' ? [{ role: defaultRole, parts: [{ type: 'text' as const, content: m }] }] : []));
  return isObj(v) ? [toMessage(v, defaultRole)] : [];
}

/** One message object (any dialect above). */
export function toMessage(m: Obj, defaultRole: string, unwrapChoice = true): ChatMessage {
  // a choice of the older dialect: {index, finish_reason, message: {...}} (one level only)
  if (unwrapChoice && isObj(m.message) && m.role === undefined && m.parts === undefined && m.content === undefined) {
    const inner = toMessage(m.message, defaultRole, false);
    const finish = str(m.finish_reason) ?? str(m.finishReason);
    return finish === undefined ? inner : { ...inner, finishReason: finish };
  }
  const role = str(m.role) ?? defaultRole;
  const parts: MessagePart[] = [];
  if (Array.isArray(m.parts)) for (const p of m.parts) pushPart(parts, p);
  else if (typeof m.content === 'string') {
    if (role === 'tool') parts.push({ type: 'tool_call_response', id: str(m.tool_call_id) ?? str(m.id), result: m.content });
    else if (m.content !== '') parts.push({ type: 'text', content: m.content });
  } else if (Array.isArray(m.content)) for (const p of m.content) pushPart(parts, p);
  else if (isObj(m.content) && role === 'tool') parts.push({ type: 'tool_call_response', id: str(m.tool_call_id) ?? str(m.id), result: m.content });
  if (Array.isArray(m.tool_calls)) for (const c of m.tool_calls) if (isObj(c)) parts.push(openAiToolCall(c));
  const finish = str(m.finish_reason) ?? str(m.finishReason);
  return finish === undefined ? { role, parts } : { role, parts, finishReason: finish };
}

function openAiToolCall(c: Obj): MessagePart {
  const fn = isObj(c.function) ? c.function : c;
  return { type: 'tool_call', id: str(c.id), name: str(fn.name) ?? '', arguments: parseJsonText(fn.arguments as AttributeValue) };
}

function pushPart(out: MessagePart[], p: unknown): void {
  if (typeof p === 'string') {
    if (p !== '') out.push({ type: 'text', content: p });
    return;
  }
  if (!isObj(p)) return;
  switch (p.type) {
    case 'text':
    case 'input_text':
    case 'output_text': {
      const text = str(p.content) ?? str(p.text);
      if (text !== undefined) out.push({ type: 'text', content: text });
      return;
    }
    case 'reasoning':
    case 'thinking': {
      const text = str(p.content) ?? str(p.text) ?? str(p.thinking);
      // createOtlpExporter adds the thought's time to its part (parts allow extra properties)
      const timestamp = str(p.timestamp);
      if (text !== undefined) out.push(timestamp === undefined ? { type: 'reasoning', content: text } : { type: 'reasoning', content: text, timestamp });
      return;
    }
    case 'tool_call':
    case 'tool-call':
    case 'tool_use':
    case 'function_call':
      out.push({
        type: 'tool_call',
        id: str(p.id) ?? str(p.toolCallId) ?? str(p.call_id),
        name: str(p.name) ?? str(p.toolName) ?? '',
        arguments: parseJsonText((p.arguments ?? p.input ?? p.args) as AttributeValue),
      });
      return;
    case 'tool_call_response':
    case 'tool-result':
    case 'tool_result':
    case 'function_call_output':
      out.push({
        type: 'tool_call_response',
        id: str(p.id) ?? str(p.toolCallId) ?? str(p.tool_use_id) ?? str(p.call_id),
        result: unwrapToolOutput(p.result ?? p.response ?? p.output ?? p.content),
      });
      return;
    default:
      return;
  }
}

/** The Vercel AI SDK wraps tool outputs as {type: 'json' | 'text', value}. */
function unwrapToolOutput(v: unknown): unknown {
  if (isObj(v) && (v.type === 'json' || v.type === 'text') && 'value' in v) return v.value;
  return v;
}

/** A JSON text as its value; other strings (and structured values) unchanged. */
export function parseJsonText(value: AttributeValue | undefined): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('[') || t.startsWith('"'))) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

/** The text parts of a message, joined by newlines. */
export function textOf(message: ChatMessage): string {
  return message.parts
    .filter((p): p is Extract<MessagePart, { type: 'text' }> => p.type === 'text')
    .map((p) => p.content)
    .join('\n');
}

/** The question of a call: the text of its last user message. */
export function lastUserText(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') {
      const t = textOf(m);
      if (t !== '') return t;
    }
  }
  return undefined;
}

/** The answer of a call: the text of its last assistant message that has text. */
export function lastAssistantText(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant' || m.role === 'model') {
      const t = textOf(m);
      if (t !== '') return t;
    }
  }
  return undefined;
}

/**
 * OpenLLMetry's flattened messages: `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`,
 * `gen_ai.completion.0.tool_calls.1.name`... rebuilt as message objects, in index order.
 */
export function flattenedMessages(attributes: ReadonlyMap<string, AttributeValue>, prefix: string, defaultRole: string): ChatMessage[] {
  const byIndex = new Map<number, Obj>();
  const head = `${prefix}.`;
  for (const [key, value] of attributes) {
    if (!key.startsWith(head)) continue;
    const path = key.slice(head.length).split('.');
    const index = Number(path[0]);
    if (!Number.isInteger(index) || index < 0 || path.length < 2) continue;
    let message = byIndex.get(index);
    if (!message) byIndex.set(index, (message = {}));
    setPath(message, path.slice(1), value);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => toMessage(normalizeFlatToolCalls(m), defaultRole));
}

const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$|^\d+$/;

function setPath(target: Obj, path: readonly string[], value: unknown): void {
  let at = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    if (!SAFE_KEY.test(k) || k === '__proto__' || k === 'constructor' || k === 'prototype') return;
    if (!isObj(at[k])) at[k] = {};
    at = at[k] as Obj;
  }
  const last = path[path.length - 1]!;
  if (SAFE_KEY.test(last) && last !== '__proto__' && last !== 'constructor' && last !== 'prototype') at[last] = value;
}

/** `tool_calls: {"0": {...}, "1": {...}}` (from the flattened keys) to an array. */
function normalizeFlatToolCalls(m: Obj): Obj {
  if (!isObj(m.tool_calls)) return m;
  const calls = Object.entries(m.tool_calls)
    .filter(([k]) => /^\d+$/.test(k))
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, c]) => c);
  return { ...m, tool_calls: calls };
}

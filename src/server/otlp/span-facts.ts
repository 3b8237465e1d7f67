import type { TokenUsage } from '../../core/interaction.js';
import { flattenedMessages, parseJsonText, toMessages, type ChatMessage, type MessagePart } from './chat-messages.js';
import { AUDITRAIL, CONTENT_EVENTS, GENAI, GENERAL, MESSAGE_EVENTS, OPERATIONS, VERCEL, VERCEL_OPERATIONS } from './genai-attributes.js';
import { messageFromEvent } from './message-events.js';
import { STATUS_ERROR, type AttributeValue, type Attributes, type OtlpSpan } from './otlp-types.js';

/**
 * What a span is to the audit model:
 * - agent: an interaction of its own (invoke_agent; the Vercel AI SDK's outer generateText,
 *   streamText, generateObject, streamObject);
 * - llm: one model call (chat, text_completion, generate_content; ai.*.doGenerate/doStream; an
 *   older-dialect span with gen_ai.system and no operation name);
 * - tool: a tool execution (execute_tool, ai.toolCall);
 * - event: one seed-000 event as createOtlpExporter sends it (auditrail.event.type);
 * - other: not GenAI (an HTTP span, a database span): it only links spans together.
 */
export type SpanRole = 'agent' | 'llm' | 'tool' | 'event' | 'other';

export interface ToolFacts {
  readonly name: string;
  readonly callId: string | undefined;
  readonly arguments: unknown;
  readonly result: unknown;
  readonly hasResult: boolean;
  readonly type: string | undefined;
}

export interface SpanFacts {
  readonly role: SpanRole;
  readonly operation: string | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly input: readonly ChatMessage[];
  readonly output: readonly ChatMessage[];
  readonly usage: TokenUsage | undefined;
  readonly finishReasons: readonly string[];
  readonly conversationId: string | undefined;
  readonly agentId: string | undefined;
  readonly userId: string | undefined;
  readonly responseId: string | undefined;
  readonly tool: ToolFacts | undefined;
  /** Set when the span's status is ERROR: its message, error.type or the exception's message. */
  readonly error: string | undefined;
  readonly timeToFirstTokenMs: number | undefined;
}

/** Reads everything the mapping needs from one span, in every dialect (`role` overrides what the span looks like). */
export function spanFacts(span: OtlpSpan, roleOverride?: SpanRole): SpanFacts {
  const a = span.attributes;
  const operation = text(a, GENAI.operation);
  const vercelOp = text(a, VERCEL.operationId) ?? (span.name.startsWith('ai.') ? span.name.split(' ')[0] : undefined);
  const role = roleOverride ?? roleOf(a, operation, vercelOp);
  const io = role === 'llm' || role === 'agent' ? messagesOf(span) : { input: [], output: [] };
  return {
    role,
    operation: operation ?? vercelOp,
    provider: text(a, GENAI.provider) ?? text(a, GENAI.system) ?? text(a, VERCEL.modelProvider),
    model: text(a, GENAI.responseModel) ?? text(a, VERCEL.responseModel) ?? text(a, GENAI.requestModel) ?? text(a, VERCEL.modelId),
    input: io.input,
    output: io.output,
    usage: usageOf(a),
    finishReasons: finishReasonsOf(a, io.output),
    conversationId: text(a, GENAI.conversationId) ?? text(a, GENERAL.sessionId) ?? text(a, `${VERCEL.metadataPrefix}sessionId`),
    agentId: text(a, GENAI.agentId) ?? text(a, GENAI.agentName),
    userId: text(a, GENERAL.userId) ?? text(a, GENERAL.endUserId) ?? text(a, `${VERCEL.metadataPrefix}userId`),
    responseId: text(a, GENAI.responseId) ?? text(a, VERCEL.responseId),
    tool: role === 'tool' ? toolOf(span) : undefined,
    error: span.status.code === STATUS_ERROR ? errorOf(span) : undefined,
    timeToFirstTokenMs: nonNegative(a.get(VERCEL.msToFirstChunk)),
  };
}

function roleOf(a: Attributes, operation: string | undefined, vercelOp: string | undefined): SpanRole {
  if (a.has(AUDITRAIL.eventType)) return 'event';
  if (operation !== undefined) {
    if (OPERATIONS.tool.has(operation)) return 'tool';
    if (OPERATIONS.agent.has(operation)) return 'agent';
    if (OPERATIONS.llm.has(operation)) return 'llm';
  }
  if (vercelOp !== undefined) {
    if (VERCEL_OPERATIONS.tool.has(vercelOp)) return 'tool';
    if (VERCEL_OPERATIONS.agent.has(vercelOp)) return 'agent';
    if (VERCEL_OPERATIONS.llm.has(vercelOp)) return 'llm';
  }
  // the oldest dialect has no operation name: a span naming a GenAI system or model is a model call
  if (operation === undefined && (a.has(GENAI.system) || a.has(GENAI.provider) || a.has(GENAI.requestModel))) return 'llm';
  return 'other';
}

/** Input and output messages: the current attributes first, then Vercel's, then the older forms. */
function messagesOf(span: OtlpSpan): { input: ChatMessage[]; output: ChatMessage[] } {
  const a = span.attributes;
  let input = toMessages(a.get(GENAI.inputMessages), 'user');
  let output = toMessages(a.get(GENAI.outputMessages), 'assistant');
  if (input.length > 0 || output.length > 0) {
    const system = toMessages(a.get(GENAI.systemInstructions), 'system').map((m) => ({ ...m, role: 'system' }));
    return { input: [...system, ...input], output };
  }
  input = vercelInput(a);
  output = vercelOutput(a);
  if (input.length > 0 || output.length > 0) return { input, output };
  input = olderMessages(a, span, GENAI.prompt, 'user');
  output = olderMessages(a, span, GENAI.completion, 'assistant');
  for (const e of span.events) {
    const kind = MESSAGE_EVENTS.get(e.name);
    if (!kind) continue;
    const m = messageFromEvent(e.name, e.attributes.get(GENAI.eventContent) ?? eventBody(e.attributes));
    if (m) (kind.output ? output : input).push(m);
  }
  return { input, output };
}

/** gen_ai.prompt / gen_ai.completion: a JSON attribute, OpenLLMetry's flattened keys, or a content event. */
function olderMessages(a: Attributes, span: OtlpSpan, key: string, role: string): ChatMessage[] {
  const direct = toMessages(a.get(key), role);
  if (direct.length > 0) return direct;
  const flat = flattenedMessages(a, key, role);
  if (flat.length > 0) return flat;
  const eventName = key === GENAI.prompt ? CONTENT_EVENTS.prompt : CONTENT_EVENTS.completion;
  return span.events.filter((e) => e.name === eventName).flatMap((e) => toMessages(e.attributes.get(key), role));
}

/** A per-message span event without gen_ai.event.content: its attributes are the body. */
function eventBody(attributes: Attributes): AttributeValue {
  return Object.fromEntries(attributes);
}

function vercelInput(a: Attributes): ChatMessage[] {
  const messages = toMessages(a.get(VERCEL.promptMessages), 'user');
  if (messages.length > 0) return messages;
  const prompt = parseJsonText(a.get(VERCEL.prompt));
  if (typeof prompt === 'string') return toMessages(prompt, 'user');
  if (typeof prompt !== 'object' || prompt === null) return [];
  const p = prompt as { system?: unknown; prompt?: unknown; messages?: unknown };
  const out: ChatMessage[] = [];
  if (typeof p.system === 'string' && p.system !== '') out.push({ role: 'system', parts: [{ type: 'text', content: p.system }] });
  if (Array.isArray(p.messages)) out.push(...toMessages(p.messages as AttributeValue, 'user'));
  if (typeof p.prompt === 'string') out.push({ role: 'user', parts: [{ type: 'text', content: p.prompt }] });
  else if (Array.isArray(p.prompt)) out.push(...toMessages(p.prompt as AttributeValue, 'user'));
  return out;
}

function vercelOutput(a: Attributes): ChatMessage[] {
  const parts: MessagePart[] = [];
  const reasoning = text(a, VERCEL.responseReasoning);
  if (reasoning !== undefined && reasoning !== '') parts.push({ type: 'reasoning', content: reasoning });
  const answer = text(a, VERCEL.responseText);
  if (answer !== undefined && answer !== '') parts.push({ type: 'text', content: answer });
  const calls = parseJsonText(a.get(VERCEL.responseToolCalls));
  if (Array.isArray(calls)) {
    for (const c of calls as Record<string, unknown>[]) {
      if (typeof c !== 'object' || c === null) continue;
      parts.push({
        type: 'tool_call',
        id: typeof c.toolCallId === 'string' ? c.toolCallId : undefined,
        name: typeof c.toolName === 'string' ? c.toolName : '',
        arguments: parseJsonText((c.input ?? c.args) as AttributeValue),
      });
    }
  }
  if (parts.length === 0) return [];
  const finish = text(a, VERCEL.responseFinishReason);
  return [finish === undefined ? { role: 'assistant', parts } : { role: 'assistant', parts, finishReason: finish }];
}

function toolOf(span: OtlpSpan): ToolFacts {
  const a = span.attributes;
  const resultValue = a.get(GENAI.toolResult) ?? a.get(VERCEL.toolResult) ?? a.get(VERCEL.toolOutput);
  const fromName = span.name.startsWith('execute_tool ') ? span.name.slice('execute_tool '.length).trim() : undefined;
  return {
    name: text(a, GENAI.toolName) ?? text(a, VERCEL.toolName) ?? (fromName || span.name || 'unknown'),
    callId: text(a, GENAI.toolCallId) ?? text(a, VERCEL.toolCallId),
    arguments: parseJsonText(a.get(GENAI.toolArguments) ?? a.get(VERCEL.toolArgs) ?? a.get(VERCEL.toolInput)),
    result: parseJsonText(resultValue),
    hasResult: resultValue !== undefined,
    type: text(a, GENAI.toolType),
  };
}

function usageOf(a: Attributes): TokenUsage | undefined {
  const usage = {
    inputTokens: count(a, GENAI.inputTokens, GENAI.promptTokens, VERCEL.inputTokens, VERCEL.promptTokens),
    outputTokens: count(a, GENAI.outputTokens, GENAI.completionTokens, VERCEL.outputTokens, VERCEL.completionTokens),
    totalTokens: count(a, GENAI.totalTokens, VERCEL.totalTokens, AUDITRAIL.usageTotalTokens),
    reasoningTokens: count(a, VERCEL.reasoningTokens, AUDITRAIL.usageReasoningTokens),
    cachedInputTokens: count(a, GENAI.cacheReadTokens, VERCEL.cachedInputTokens),
  };
  const present = Object.entries(usage).filter(([, v]) => v !== undefined);
  return present.length === 0 ? undefined : (Object.fromEntries(present));
}

/** gen_ai.response.finish_reasons, else the output messages' finish_reason (Vercel's included). */
function finishReasonsOf(a: Attributes, output: readonly ChatMessage[]): string[] {
  const v = a.get(GENAI.finishReasons);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return [v];
  return output.map((m) => m.finishReason).filter((r): r is string => r !== undefined);
}

function errorOf(span: OtlpSpan): string {
  if (span.status.message !== '') return span.status.message;
  const exception = span.events.find((e) => e.name === 'exception');
  const message = exception && text(exception.attributes, GENERAL.exceptionMessage);
  if (message) return message;
  return text(span.attributes, GENAI.errorType) ?? (exception && text(exception.attributes, GENERAL.exceptionType)) ?? 'error';
}

/** A string attribute (numbers and booleans as text); undefined when absent or empty. */
export function text(a: Attributes, key: string): string | undefined {
  const v = a.get(key);
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A boolean attribute; also "true"/"false" text. */
export function flag(a: Attributes, key: string): boolean | undefined {
  const v = a.get(key);
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function count(a: Attributes, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const n = nonNegative(a.get(k));
    if (n !== undefined) return Math.round(n);
  }
  return undefined;
}

export function nonNegative(v: AttributeValue | undefined): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

import { isUuid } from '../../core/ids.js';
import { INTERACTION_STATUSES, type InteractionInput, type Metric, type TokenUsage, type ToolCall } from '../../core/interaction.js';
import { lastAssistantText, lastUserText, parseJsonText, type ChatMessage } from './chat-messages.js';
import { derivedId } from './derived-id.js';
import { AUDITRAIL, GENERAL } from './genai-attributes.js';
import { otelProvenance, fallbackSessionId, clipId } from './provenance.js';
import { nsToIso, spanMs } from './otlp-time.js';
import { text, nonNegative } from './span-facts.js';
import { descendants, type SpanNode } from './span-tree.js';
import { toolCallOfSpan } from './tool-calls.js';

/** The id of the interaction a span makes (or would make): auditrail.interaction.id when it carries a UUID. */
export function interactionIdOf(orgId: string, traceId: string, spanId: string, claimed?: string): string {
  return claimed !== undefined && isUuid(claimed) ? claimed.toLowerCase() : derivedId(['interaction', orgId, traceId, spanId]);
}

/**
 * One interaction from its root span (an agent span, or a model call outside any agent) and the
 * spans below it in the same request: model calls give model, provider, usage, thoughts
 * (reasoning parts) and the answer; tool spans give the tool calls (with `stored`, the tool calls
 * of earlier requests already linked to this interaction, and the calls the model requested that
 * no tool span shows).
 */
export function buildInteraction(orgId: string, root: SpanNode, stored: readonly ToolCall[], as: { interactionId?: string; signal?: 'traces' | 'logs' } = {}): InteractionInput {
  const span = root.span;
  const a = span.attributes;
  const members = descendants(root);
  const llms = [root, ...members].filter((n) => n.facts.role === 'llm').sort(byStart);
  const tools = members.filter((n) => n.facts.role === 'tool').sort((x, y) => byStart(x, y) || sequenceOf(x) - sequenceOf(y) || x.span.index - y.span.index);
  // enrichment (session, user, agent) comes from GenAI spans, never from the event spans our own
  // exporter nests under an interaction
  const all = [root, ...members].filter((n) => n.facts.role !== 'event');
  const f = root.facts;
  // a record exported by auditrail says all it knows; others are completed from their spans and resource
  const exported = text(a, AUDITRAIL.interactionId) !== undefined;
  const resource = exported ? new Map() : span.resource;
  const interactionId = as.interactionId ?? interactionIdOf(orgId, span.traceId, span.spanId, text(a, AUDITRAIL.interactionId));
  // the root's own messages when it has them, else the model calls' (the first call's input
  // holds the question; later calls add tool results)
  const input = f.input.length > 0 ? f.input : (llms[0]?.facts.input ?? []);
  const modelOutput = llms.length > 0 ? llms.flatMap((n) => n.facts.output) : f.output;
  const answer = lastAssistantText(f.output) ?? lastAssistantText(modelOutput);
  const status = statusOf(root);
  return {
    kind: 'interaction',
    interactionId,
    timestamp: nsToIso(span.startNs),
    orgId,
    sessionId: clipId(f.conversationId ?? firstOf(all, (n) => n.facts.conversationId) ?? text(resource, GENERAL.sessionId) ?? fallbackSessionId(span.traceId))!,
    userId: clipId(f.userId ?? firstOf(all, (n) => n.facts.userId) ?? text(resource, GENERAL.userId)),
    agentId: clipId(f.agentId ?? firstOf(all, (n) => n.facts.agentId) ?? text(resource, GENERAL.serviceName)),
    clientIp: clipId(text(a, GENERAL.clientAddress)),
    userAgent: text(a, GENERAL.userAgent)?.slice(0, 4096),
    question: lastUserText(input) ?? '',
    model: clipId(f.model ?? lastOf(llms, (n) => n.facts.model) ?? 'unknown')!,
    provider: clipId(f.provider ?? lastOf(llms, (n) => n.facts.provider)),
    baseUrl: text(a, AUDITRAIL.baseUrl)?.slice(0, 4096),
    cluster: clipId(text(a, AUDITRAIL.cluster) ?? text(resource, GENERAL.k8sCluster)),
    thoughts: thoughtsOf(modelOutput),
    toolCalls: toolCallsOf(span.traceId, tools, llms, f.output, input, stored),
    finalAnswer: answer ?? null,
    status: status.status,
    errorMessage: status.errorMessage,
    totalDurationMs: spanMs(span.startNs, span.endNs),
    assistantDurationMs: wholeMs(a.get(AUDITRAIL.assistantDurationMs)) ?? assistantMs(root, llms),
    parseDurationMs: wholeMs(a.get(AUDITRAIL.parseDurationMs)) ?? null,
    metrics: metricsOf(root, llms),
    usage: f.usage ?? sumUsage(llms.filter((n) => n !== root)),
    metadata: {
      ...objectAttribute(a.get(AUDITRAIL.metadata)),
      otel: otelProvenance(span, {
        ...(as.signal === 'logs' ? { signal: 'logs' } : {}),
        operation: f.operation,
        spans: all.length,
        ...(f.responseId ?? lastOf(llms, (n) => n.facts.responseId) ? { responseId: f.responseId ?? lastOf(llms, (n) => n.facts.responseId) } : {}),
        ...(lastOf(llms, (n) => (n.facts.finishReasons.length > 0 ? n.facts.finishReasons : undefined)) ? { finishReasons: lastOf(llms, (n) => (n.facts.finishReasons.length > 0 ? n.facts.finishReasons : undefined)) } : {}),
        ...(text(a, GENERAL.serverAddress) ? { serverAddress: text(a, GENERAL.serverAddress) } : {}),
      }),
    },
  };
}

/** createOtlpExporter numbers its tool spans; others sort by time, then by position. */
function sequenceOf(n: SpanNode): number {
  return nonNegative(n.span.attributes.get(AUDITRAIL.toolCallSequence)) ?? 0;
}

const byStart = (x: SpanNode, y: SpanNode): number => (x.span.startNs < y.span.startNs ? -1 : x.span.startNs > y.span.startNs ? 1 : 0);

function firstOf<T>(nodes: readonly SpanNode[], pick: (n: SpanNode) => T | undefined): T | undefined {
  for (const n of nodes) {
    const v = pick(n);
    if (v !== undefined) return v;
  }
  return undefined;
}

function lastOf<T>(nodes: readonly SpanNode[], pick: (n: SpanNode) => T | undefined): T | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const v = pick(nodes[i]!);
    if (v !== undefined) return v;
  }
  return undefined;
}

function statusOf(root: SpanNode): { status: InteractionInput['status']; errorMessage: string | null } {
  const claimed = text(root.span.attributes, AUDITRAIL.interactionStatus);
  const status = claimed !== undefined && (INTERACTION_STATUSES as readonly string[]).includes(claimed) ? (claimed as InteractionInput['status']) : root.facts.error !== undefined ? 'error' : 'success';
  if (status === 'success') return { status, errorMessage: null };
  // our own exporter says the status outright; a bare ERROR status then means no message
  const message = claimed !== undefined ? root.span.status.message || null : (root.facts.error ?? null);
  return { status, errorMessage: message };
}

function thoughtsOf(output: readonly ChatMessage[]) {
  const thoughts = [];
  for (const p of output.flatMap((m) => m.parts)) {
    if (p.type !== 'reasoning') continue;
    const timestamp = p.timestamp !== undefined && !Number.isNaN(Date.parse(p.timestamp)) ? { timestamp: p.timestamp } : {};
    thoughts.push({ sequence: thoughts.length, content: p.content, ...timestamp });
  }
  return thoughts;
}

function toolCallsOf(
  traceId: string,
  tools: readonly SpanNode[],
  llms: readonly SpanNode[],
  output: readonly ChatMessage[],
  input: readonly ChatMessage[],
  stored: readonly ToolCall[],
): InteractionInput['toolCalls'] {
  const executed = tools.map((n) => toolCallOfSpan(traceId, n.span, n.facts));
  const known = new Set(executed.map((c) => c.actionId));
  const calls: Omit<ToolCall, 'sequence'>[] = [...executed];
  for (const c of stored) if (!known.has(c.actionId ?? null)) calls.push(c);
  const executedIds = new Set(tools.map((n) => n.facts.tool?.callId).filter((id): id is string => id !== undefined));
  // calls the model asked for that no tool span shows: their result, if any, is in a later input
  const responses = new Map<string, unknown>();
  for (const m of [...input, ...llms.flatMap((n) => n.facts.input)]) for (const p of m.parts) if (p.type === 'tool_call_response' && p.id !== undefined) responses.set(p.id, p.result);
  const requested = new Set<string>();
  // each model call asked for the calls in its output, and (made by the agent loop since the
  // question) the assistant tool calls in its input after the last user message
  const sources: { parts: ChatMessage['parts']; at: string | undefined }[] =
    llms.length > 0
      ? llms.flatMap((n) => [
          { parts: sinceLastUser(n.facts.input).flatMap((m) => m.parts), at: nsToIso(n.span.startNs) },
          { parts: n.facts.output.flatMap((m) => m.parts), at: nsToIso(n.span.endNs) },
        ])
      : [{ parts: output.flatMap((m) => m.parts), at: undefined }];
  for (const { parts, at } of sources) {
    for (const p of parts) {
      if (p.type !== 'tool_call' || p.name === '') continue;
      if (p.id !== undefined && (executedIds.has(p.id) || requested.has(p.id))) continue;
      if (p.id !== undefined) requested.add(p.id);
      const answered = p.id !== undefined && responses.has(p.id);
      calls.push({
        name: p.name.slice(0, 256),
        input: p.arguments ?? null,
        ...(answered ? { observation: responses.get(p.id) } : {}),
        durationMs: null,
        startedAt: at ?? null,
        status: answered ? 'success' : 'pending',
        errorMessage: null,
        actionId: null,
      });
    }
  }
  const order = (c: { startedAt?: string | null }) => (c.startedAt ? Date.parse(c.startedAt) : Number.MAX_SAFE_INTEGER);
  return calls
    .map((c, i) => ({ c, i }))
    .sort((x, y) => order(x.c) - order(y.c) || x.i - y.i)
    .map(({ c }, sequence) => ({ ...c, sequence }));
}

function sinceLastUser(messages: readonly ChatMessage[]): ChatMessage[] {
  let last = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') last = i;
  });
  return messages.slice(last + 1).filter((m) => m.role === 'assistant' || m.role === 'model');
}

function assistantMs(root: SpanNode, llms: readonly SpanNode[]): number | null {
  if (llms.length === 0) return null;
  if (llms.includes(root)) return spanMs(root.span.startNs, root.span.endNs);
  return llms.reduce((sum, n) => sum + spanMs(n.span.startNs, n.span.endNs), 0);
}

function metricsOf(root: SpanNode, llms: readonly SpanNode[]): Metric[] {
  const claimed = parseJsonText(root.span.attributes.get(AUDITRAIL.metrics));
  if (Array.isArray(claimed)) {
    return claimed.flatMap((m) => {
      const o = m as { name?: unknown; durationMs?: unknown };
      return typeof o?.name === 'string' && typeof o.durationMs === 'number' && Number.isInteger(o.durationMs) && o.durationMs >= 0 ? [{ name: o.name, durationMs: o.durationMs }] : [];
    });
  }
  const ttft = root.facts.timeToFirstTokenMs ?? llms.find((n) => n.facts.timeToFirstTokenMs !== undefined)?.facts.timeToFirstTokenMs;
  return ttft === undefined ? [] : [{ name: 'time_to_first_token', durationMs: Math.round(ttft) }];
}

function sumUsage(llms: readonly SpanNode[]): TokenUsage | null {
  const withUsage = llms.map((n) => n.facts.usage).filter((u): u is TokenUsage => u !== undefined);
  if (withUsage.length === 0) return null;
  const out: Record<string, number> = {};
  for (const u of withUsage) for (const [k, v] of Object.entries(u)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  return out;
}

function wholeMs(v: unknown): number | undefined {
  const n = nonNegative(v as never);
  return n === undefined ? undefined : Math.round(n);
}

/** A JSON object attribute (auditrail.metadata) as an object; anything else as {}. */
export function objectAttribute(v: unknown): Record<string, unknown> {
  const parsed = parseJsonText(v as never);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

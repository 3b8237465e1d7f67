import { createHash } from 'node:crypto';
import type { AuditEvent, Interaction, ToolCall } from '../../core/index.js';
import { attributes, jsonText, msToNanos, type AttributeInput, type OtlpKeyValue } from './otlp-json.js';

/** One OTLP/JSON span. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: OtlpKeyValue[];
  readonly status: { readonly code: number; readonly message?: string };
}

const SPAN_KIND_INTERNAL = 1;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

function hashHex(bytes: number, ...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, bytes * 2);
}

/** An interaction's trace id is its UUID's 16 bytes: the same interaction always exports to the same trace. */
const traceOfInteraction = (interactionId: string): string => interactionId.replace(/-/g, '').toLowerCase();
const agentSpanId = (interactionId: string): string => hashHex(8, 'agent', interactionId);

/**
 * An interaction as GenAI spans (docs/otlp.md, "Export"): an invoke_agent span carrying the
 * session, user, agent, model, provider, usage, the question as gen_ai.input.messages, the
 * thoughts (reasoning parts, with their times) and the answer as gen_ai.output.messages, and the
 * seed-002 fields no convention has as auditrail.* attributes; one execute_tool child span per
 * tool call. Span ids derive from the interaction id, so exporting it again sends the same spans.
 */
export function interactionSpans(i: Interaction): OtlpSpan[] {
  const traceId = traceOfInteraction(i.interactionId);
  const root = agentSpanId(i.interactionId);
  const startMs = Date.parse(i.timestamp);
  const u = i.usage ?? undefined;
  const output = [
    ...i.thoughts.map((t) => ({ type: 'reasoning', content: t.content, ...(t.timestamp ? { timestamp: t.timestamp } : {}) })),
    ...(i.finalAnswer !== null && i.finalAnswer !== undefined ? [{ type: 'text', content: i.finalAnswer }] : []),
  ];
  const failed = i.status !== 'success';
  const agent: OtlpSpan = {
    traceId,
    spanId: root,
    name: `invoke_agent ${i.agentId ?? 'agent'}`,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: msToNanos(startMs),
    endTimeUnixNano: msToNanos(startMs + (i.totalDurationMs ?? 0)),
    attributes: attributes({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.id': i.agentId,
      'gen_ai.conversation.id': i.sessionId,
      'gen_ai.provider.name': i.provider,
      'gen_ai.request.model': i.model,
      'gen_ai.input.messages': i.question === '' ? undefined : jsonText([{ role: 'user', parts: [{ type: 'text', content: i.question }] }]),
      'gen_ai.output.messages': output.length === 0 ? undefined : jsonText([{ role: 'assistant', parts: output }]),
      'gen_ai.usage.input_tokens': u?.inputTokens,
      'gen_ai.usage.output_tokens': u?.outputTokens,
      'gen_ai.usage.cache_read.input_tokens': u?.cachedInputTokens,
      'auditrail.usage.total_tokens': u?.totalTokens,
      'auditrail.usage.reasoning_tokens': u?.reasoningTokens,
      'user.id': i.userId,
      'client.address': i.clientIp,
      'user_agent.original': i.userAgent,
      'auditrail.interaction.id': i.interactionId,
      'auditrail.interaction.status': i.status,
      'auditrail.cluster': i.cluster,
      'auditrail.base_url': i.baseUrl,
      'auditrail.duration.assistant_ms': i.assistantDurationMs,
      'auditrail.duration.parse_ms': i.parseDurationMs,
      'auditrail.metrics': i.metrics.length === 0 ? undefined : jsonText(i.metrics),
      'auditrail.metadata': Object.keys(i.metadata).length === 0 ? undefined : jsonText(i.metadata),
    }),
    status: failed ? { code: STATUS_ERROR, message: i.errorMessage ?? '' } : { code: STATUS_UNSET },
  };
  return [agent, ...i.toolCalls.map((c) => toolSpan(i, c, traceId, root, startMs))];
}

function toolSpan(i: Interaction, c: ToolCall, traceId: string, parent: string, interactionStartMs: number): OtlpSpan {
  const startMs = c.startedAt ? Date.parse(c.startedAt) : interactionStartMs;
  const rejected = c.status === 'rejected';
  return {
    traceId,
    spanId: hashHex(8, 'tool', i.interactionId, String(c.sequence)),
    parentSpanId: parent,
    name: `execute_tool ${c.name}`,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: msToNanos(startMs),
    endTimeUnixNano: msToNanos(startMs + (c.durationMs ?? 0)),
    attributes: attributes({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': c.name,
      'gen_ai.tool.call.id': c.actionId,
      // JSON text, so that a text input comes back as text and a structured one as itself
      'gen_ai.tool.call.arguments': c.input === undefined || c.input === null ? undefined : jsonText(c.input),
      'gen_ai.tool.call.result': c.observation === undefined ? undefined : jsonText(c.observation),
      'auditrail.tool_call.sequence': c.sequence,
      'auditrail.tool_call.status': c.status,
      'auditrail.action.id': c.actionId,
      'auditrail.action.rejected': rejected ? true : undefined,
      'auditrail.action.rejection_reason': rejected ? c.errorMessage : undefined,
    }),
    status: c.status === 'error' ? { code: STATUS_ERROR, message: c.errorMessage ?? '' } : { code: STATUS_UNSET },
  };
}

const TERMINAL = new Set(['action_completed', 'action_failed', 'action_rejected']);

/**
 * A seed-000 event as one span carrying every field as auditrail.* attributes (plus the
 * conventions' user.id, gen_ai.agent.id, gen_ai.conversation.id, gen_ai.tool.name). It ends at
 * the event's time and, for an action's end, starts durationMs before. Its trace is its
 * interaction's (a child of the interaction's agent span) or else its action's.
 */
export function eventSpan(e: AuditEvent): OtlpSpan {
  const endMs = Date.parse(e.timestamp);
  const startMs = TERMINAL.has(e.eventType) ? endMs - e.durationMs : endMs;
  const a: Record<string, AttributeInput> = {
    'auditrail.event.id': e.eventId,
    'auditrail.event.type': e.eventType,
    'auditrail.action.id': e.actionId,
    'auditrail.action.name': e.actionName,
    'gen_ai.tool.name': e.actionName,
    'auditrail.action.params': Object.keys(e.actionParams).length === 0 ? undefined : jsonText(e.actionParams),
    'auditrail.interaction.id': e.interactionId,
    'user.id': e.userId,
    'gen_ai.agent.id': e.agentId,
    'gen_ai.conversation.id': e.sessionId,
    'auditrail.capability.type': e.capabilityType,
    'auditrail.capability.source': e.capabilitySource,
    'auditrail.capability.version': e.capabilityVersion,
    'auditrail.mcp.server.id': e.mcpServerId,
    'auditrail.mcp.server.name': e.mcpServerName,
    'auditrail.approval.required': e.requiresApproval,
    'auditrail.approval.granted': e.approvalGranted,
    'auditrail.approval.approver': e.approver,
    'auditrail.event.reason': e.reason,
    'auditrail.action.success': e.success,
    'auditrail.action.duration_ms': e.durationMs,
    'auditrail.action.error_message': e.errorMessage,
    'auditrail.severity': e.severity,
    'auditrail.metadata': Object.keys(e.metadata).length === 0 ? undefined : jsonText(e.metadata),
  };
  return {
    traceId: e.interactionId ? traceOfInteraction(e.interactionId) : hashHex(16, 'action', e.actionId),
    spanId: hashHex(8, 'event', e.eventId),
    ...(e.interactionId ? { parentSpanId: agentSpanId(e.interactionId) } : {}),
    name: `${e.eventType} ${e.actionName}`,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: msToNanos(startMs),
    endTimeUnixNano: msToNanos(endMs),
    attributes: attributes(a),
    status: e.eventType === 'action_failed' ? { code: STATUS_ERROR, message: e.errorMessage ?? '' } : { code: STATUS_UNSET },
  };
}

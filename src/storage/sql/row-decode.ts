import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction, Metric, Thought, ToolCall } from '../../core/interaction.js';
import { EVENT_NULLABLE, INTERACTION_NULLABLE, THOUGHT_NULLABLE, TOOL_CALL_NULLABLE } from './columns.js';
import { decodeText } from './text-codec.js';

/** Rows as the drivers return them: timestamps as Date, bigint as number, json parsed. */
type Row = Record<string, unknown>;

export function isoTime(v: unknown): string {
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}

/**
 * Sets `out[key]` from a nullable column: the value when present; null when the record was sent
 * with an explicit null (its null_mask bit); left out when it was left out.
 */
function setOptional(out: Record<string, unknown>, key: string, value: unknown, mask: number, bit: number): void {
  if (value !== null && value !== undefined) out[key] = value;
  else if (mask & (1 << bit)) out[key] = null;
}

function text(v: unknown): string {
  return decodeText(v as string);
}

function optText(v: unknown): string | null {
  return typeof v === 'string' ? decodeText(v) : null;
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

const INTERACTION_BIT = Object.fromEntries(INTERACTION_NULLABLE.map((f, i) => [f, i])) as Record<(typeof INTERACTION_NULLABLE)[number], number>;
const EVENT_BIT = Object.fromEntries(EVENT_NULLABLE.map((f, i) => [f, i])) as Record<(typeof EVENT_NULLABLE)[number], number>;
const TOOL_BIT = Object.fromEntries(TOOL_CALL_NULLABLE.map((f, i) => [f, i])) as Record<(typeof TOOL_CALL_NULLABLE)[number], number>;

/** The interactions columns every read selects (alias i). */
export const INTERACTION_SELECT = `i.interaction_id, i.org_id, i.created_at, i.session_id, i.user_id, i.agent_id, i.client_ip, i.user_agent,
  i.question, i.model_name, i.provider, i.base_url, i.cluster, i.final_answer, i.status, i.error_message, i.total_duration_ms,
  i.assistant_duration_ms, i.parse_duration_ms, i.usage, i.metadata, i.null_mask`;

export function decodeInteraction(r: Row, thoughts: Thought[], toolCalls: ToolCall[], metrics: Metric[]): Interaction {
  const mask = Number(r.null_mask);
  const out: Record<string, unknown> = {
    kind: 'interaction',
    interactionId: r.interaction_id,
    timestamp: isoTime(r.created_at),
    orgId: text(r.org_id),
    sessionId: text(r.session_id),
    question: text(r.question),
    model: text(r.model_name),
    status: r.status,
    thoughts,
    toolCalls,
    metrics,
    metadata: r.metadata,
  };
  const b = INTERACTION_BIT;
  setOptional(out, 'userId', optText(r.user_id), mask, b.userId);
  setOptional(out, 'agentId', optText(r.agent_id), mask, b.agentId);
  setOptional(out, 'clientIp', optText(r.client_ip), mask, b.clientIp);
  setOptional(out, 'userAgent', optText(r.user_agent), mask, b.userAgent);
  setOptional(out, 'provider', optText(r.provider), mask, b.provider);
  setOptional(out, 'baseUrl', optText(r.base_url), mask, b.baseUrl);
  setOptional(out, 'cluster', optText(r.cluster), mask, b.cluster);
  setOptional(out, 'finalAnswer', optText(r.final_answer), mask, b.finalAnswer);
  setOptional(out, 'errorMessage', optText(r.error_message), mask, b.errorMessage);
  setOptional(out, 'totalDurationMs', num(r.total_duration_ms), mask, b.totalDurationMs);
  setOptional(out, 'assistantDurationMs', num(r.assistant_duration_ms), mask, b.assistantDurationMs);
  setOptional(out, 'parseDurationMs', num(r.parse_duration_ms), mask, b.parseDurationMs);
  // usage is a json column: SQL NULL = left out, JSON null = sent as null.
  if (r.usage !== null && r.usage !== undefined) out.usage = r.usage;
  return out as unknown as Interaction;
}

export function decodeThought(r: Row): Thought {
  const out: Record<string, unknown> = { sequence: Number(r.sequence_number), content: text(r.thought) };
  setOptional(out, 'timestamp', r.thought_at === null || r.thought_at === undefined ? null : isoTime(r.thought_at), Number(r.null_mask), THOUGHT_NULLABLE.indexOf('timestamp'));
  return out as unknown as Thought;
}

export function decodeToolCall(r: Row): ToolCall {
  const mask = Number(r.null_mask);
  const out: Record<string, unknown> = { sequence: Number(r.sequence_number), name: text(r.tool_name), status: r.status };
  if (r.tool_input !== null && r.tool_input !== undefined) out.input = r.tool_input;
  if (r.tool_observation !== null && r.tool_observation !== undefined) out.observation = r.tool_observation;
  setOptional(out, 'durationMs', num(r.duration_ms), mask, TOOL_BIT.durationMs);
  setOptional(out, 'startedAt', r.started_at === null || r.started_at === undefined ? null : isoTime(r.started_at), mask, TOOL_BIT.startedAt);
  setOptional(out, 'errorMessage', optText(r.error_message), mask, TOOL_BIT.errorMessage);
  setOptional(out, 'actionId', optText(r.action_id), mask, TOOL_BIT.actionId);
  return out as unknown as ToolCall;
}

export function decodeMetric(r: Row): Metric {
  return { name: text(r.metric_name), durationMs: Number(r.duration_ms) };
}

/** The events columns every read selects (alias e). */
export const EVENT_SELECT = `e.event_id, e.org_id, e.created_at, e.event_type, e.user_id, e.agent_id, e.session_id, e.action_id, e.action_name,
  e.action_params, e.interaction_id, e.capability_type, e.capability_source, e.capability_version, e.mcp_server_id, e.mcp_server_name,
  e.requires_approval, e.approval_granted, e.approver, e.reason, e.success, e.duration_ms, e.error_message, e.severity, e.metadata, e.null_mask`;

export function decodeEvent(r: Row): AuditEvent {
  const mask = Number(r.null_mask);
  const out: Record<string, unknown> = {
    kind: 'event',
    eventId: r.event_id,
    eventType: r.event_type,
    timestamp: isoTime(r.created_at),
    orgId: text(r.org_id),
    userId: text(r.user_id),
    agentId: text(r.agent_id),
    sessionId: text(r.session_id),
    actionId: text(r.action_id),
    actionName: text(r.action_name),
    actionParams: r.action_params,
    requiresApproval: r.requires_approval,
    durationMs: Number(r.duration_ms),
    severity: r.severity,
    metadata: r.metadata,
  };
  const b = EVENT_BIT;
  setOptional(out, 'interactionId', r.interaction_id ?? null, mask, b.interactionId);
  setOptional(out, 'capabilityType', optText(r.capability_type), mask, b.capabilityType);
  setOptional(out, 'capabilitySource', optText(r.capability_source), mask, b.capabilitySource);
  setOptional(out, 'capabilityVersion', optText(r.capability_version), mask, b.capabilityVersion);
  setOptional(out, 'mcpServerId', optText(r.mcp_server_id), mask, b.mcpServerId);
  setOptional(out, 'mcpServerName', optText(r.mcp_server_name), mask, b.mcpServerName);
  setOptional(out, 'approvalGranted', r.approval_granted ?? null, mask, b.approvalGranted);
  setOptional(out, 'approver', optText(r.approver), mask, b.approver);
  setOptional(out, 'reason', optText(r.reason), mask, b.reason);
  setOptional(out, 'success', r.success ?? null, mask, b.success);
  setOptional(out, 'errorMessage', optText(r.error_message), mask, b.errorMessage);
  return out as unknown as AuditEvent;
}

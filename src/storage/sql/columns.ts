/**
 * Column lists of the tables the write path fills by COPY, in COPY order, and the optional fields
 * whose explicit null is kept in null_mask (bit i = field i was sent as null, not left out).
 */
/** The interaction row's own data; the writer appends the chain's seq and hash (INTERACTION_COLUMNS). */
export const INTERACTION_DATA_COLUMNS = [
  'interaction_id',
  'org_id',
  'created_at',
  'session_id',
  'user_id',
  'agent_id',
  'client_ip',
  'user_agent',
  'question',
  'model_name',
  'provider',
  'base_url',
  'cluster',
  'final_answer',
  'status',
  'error_message',
  'total_duration_ms',
  'assistant_duration_ms',
  'parse_duration_ms',
  'usage',
  'metadata',
  'null_mask',
] as const;

export const INTERACTION_COLUMNS = [...INTERACTION_DATA_COLUMNS, 'seq', 'hash'] as const;

export const INTERACTION_NULLABLE = [
  'userId',
  'agentId',
  'clientIp',
  'userAgent',
  'provider',
  'baseUrl',
  'cluster',
  'finalAnswer',
  'errorMessage',
  'totalDurationMs',
  'assistantDurationMs',
  'parseDurationMs',
] as const;

export const THOUGHT_COLUMNS = ['interaction_id', 'org_id', 'created_at', 'ordinal', 'sequence_number', 'thought', 'thought_at', 'null_mask'] as const;
export const THOUGHT_NULLABLE = ['timestamp'] as const;

export const TOOL_CALL_COLUMNS = [
  'interaction_id',
  'org_id',
  'created_at',
  'ordinal',
  'sequence_number',
  'tool_name',
  'tool_input',
  'tool_observation',
  'duration_ms',
  'started_at',
  'status',
  'error_message',
  'action_id',
  'null_mask',
] as const;
export const TOOL_CALL_NULLABLE = ['durationMs', 'startedAt', 'errorMessage', 'actionId'] as const;

export const METRIC_COLUMNS = ['interaction_id', 'org_id', 'created_at', 'ordinal', 'metric_name', 'duration_ms'] as const;

/** The event row's own data; the writer appends the chain's seq and hash (EVENT_COLUMNS). */
export const EVENT_DATA_COLUMNS = [
  'event_id',
  'org_id',
  'created_at',
  'event_type',
  'user_id',
  'agent_id',
  'session_id',
  'action_id',
  'action_name',
  'action_params',
  'interaction_id',
  'capability_type',
  'capability_source',
  'capability_version',
  'mcp_server_id',
  'mcp_server_name',
  'requires_approval',
  'approval_granted',
  'approver',
  'reason',
  'success',
  'duration_ms',
  'error_message',
  'severity',
  'metadata',
  'null_mask',
] as const;

export const EVENT_COLUMNS = [...EVENT_DATA_COLUMNS, 'seq', 'hash'] as const;

export const EVENT_NULLABLE = [
  'interactionId',
  'capabilityType',
  'capabilitySource',
  'capabilityVersion',
  'mcpServerId',
  'mcpServerName',
  'approvalGranted',
  'approver',
  'reason',
  'success',
  'errorMessage',
] as const;

export const SEARCH_PENDING_COLUMNS = ['interaction_id', 'org_id', 'created_at'] as const;

/** Bit i set when `record[fields[i]] === null`. */
export function nullMask(record: object, fields: readonly string[]): number {
  let mask = 0;
  const r = record as Record<string, unknown>;
  for (let i = 0; i < fields.length; i++) if (r[fields[i]!] === null) mask |= 1 << i;
  return mask;
}

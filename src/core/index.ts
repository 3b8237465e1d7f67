/**
 * auditrail core: the event model and its runtime schemas, the error catalogue, the seams
 * (Storage, Exporter, Redactor), query semantics and the in-memory storage. No Node built-ins.
 */
export {
  AuditEventSchema,
  EVENT_TYPES,
  EventTypeSchema,
  SEVERITIES,
  SeveritySchema,
  type AuditEvent,
  type AuditEventInput,
  type EventType,
  type Severity,
} from './audit-event.js';
export {
  INTERACTION_STATUSES,
  InteractionSchema,
  MetricSchema,
  ThoughtSchema,
  TOOL_CALL_STATUSES,
  TokenUsageSchema,
  ToolCallSchema,
  type Interaction,
  type InteractionInput,
  type InteractionStatus,
  type Metric,
  type Thought,
  type TokenUsage,
  type ToolCall,
  type ToolCallStatus,
} from './interaction.js';
export {
  AuditRecordSchema,
  parseRecord,
  parseRecordOrThrow,
  recordId,
  recordOrg,
  type AuditRecord,
  type AuditRecordInput,
  type ParseResult,
  type RecordKind,
} from './record.js';
export {
  AuditQuerySchema,
  decodeCursor,
  encodeCursor,
  parseQuery,
  type AuditQuery,
  type AuditQueryInput,
  type CursorPosition,
  type Page,
} from './query.js';
export { AuditrailError, ERRORS, errorMessage, isAuditrailError, type ErrorCode, type ErrorIssue, type ErrorName, type ErrorSpec } from './errors.js';
export { LIMITS } from './limits.js';
export { isUuid, uuidv7, uuidv7Time } from './ids.js';
export { appendResult, type AppendOutcome, type AppendResult, type AppendStatus, type SessionSummary, type Storage } from './storage.js';
export type { Exporter, ExportResult, RejectedRecord } from './exporter.js';
export type { RedactionFailure, RedactionReport, Redactor } from './redactor.js';
export { normalizeRecord } from './normalize.js';
export {
  eventKey,
  interactionKey,
  matchesEvent,
  matchesInteraction,
  matchesSearch,
  matchesSession,
  paginate,
  sessionKey,
  summarizeSessions,
} from './query-match.js';
export {
  ANALYTICS_BUCKETS,
  ANALYTICS_GROUPS,
  AnalyticsQuerySchema,
  bucketStart,
  computeAnalytics,
  parseAnalyticsQuery,
  percentileCont,
  type AnalyticsQuery,
  type AnalyticsRow,
} from './analytics.js';
export { MemoryStorage, createMemoryStorage } from './memory-storage.js';

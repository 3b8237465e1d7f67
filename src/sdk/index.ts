/**
 * auditrail SDK: createAuditLogger() and its pipeline (batch processor, exporters), the
 * interaction builder, and the audited action executor.
 */
export { createAuditLogger, type AuditLogger } from './logger.js';
export { parseLoggerOptions, type AuditLoggerOptions, type LoggerContext, type ResolvedLoggerOptions, type RetryPolicy } from './options.js';
export type { ActionCompletedInput, ActionEventInput, ActionFailedInput, ActionRejectedInput, ApprovalInput } from './action-events.js';
export type { EventRecordInput, InteractionRecordInput, RecordInput } from './record-inputs.js';
export type { InteractionBuilder, InteractionInit, ToolCallEndOptions, ToolCallHandle } from './interaction-builder.js';
export type { Diagnostic, DiagnosticHook, DiagnosticOutcome } from './diagnostics.js';
export type { DropReasons, LoggerStats, SpoolStats } from './stats.js';
export type { OverflowAnswer, OverflowReason, OverflowSink } from './overflow.js';
export type { SpoolOptions } from './spool/spool-options.js';
export { materialize, type QueuedRecord } from './queued-record.js';
export { BatchProcessor, type BatchProcessorOptions } from './batch-processor.js';
export { createStorageExporter, isTransientStorageError, type StorageExporterOptions } from './storage-exporter.js';
export { createInMemoryExporter, type InMemoryExporter } from './in-memory-exporter.js';
export { createHttpExporter } from './http/http-exporter.js';
export type { HttpExporterOptions } from './http/http-exporter-options.js';
export type { HttpTransport, TransportRequest, TransportResult } from './http/http-transport.js';
export { createRetryingTransport, type TransportRetryPolicy } from './http/retrying-transport.js';
export {
  createActionExecutor,
  createRegistrySource,
  type ActionCallContext,
  type ActionDefinition,
  type ActionExecutor,
  type ActionExecutorOptions,
  type ActionOutcome,
  type ActionRegistry,
  type ActionSource,
  type ApprovalAnswer,
  type ApprovalHook,
  type ApprovalRequest,
  type Capability,
  type ExecuteOptions,
  type McpServer,
  type ResolvedAction,
} from './executor/index.js';

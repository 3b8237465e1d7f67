import type { AuditRecord } from './record.js';

/** A record the sink refused for good (it will never be accepted, so it is not retried). */
export interface RejectedRecord {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Export outcomes are values, not exceptions (OpenTelemetry's model):
 * - success: the batch is durable at the sink (`rejected` lists records refused individually);
 * - retryable: nothing was stored, the same batch may be sent again (after `retryAfterMs` if set);
 * - failure: the batch will never be accepted; retrying is pointless.
 */
export type ExportResult =
  | { readonly code: 'success'; readonly rejected?: readonly RejectedRecord[] }
  | { readonly code: 'retryable'; readonly error: Error; readonly retryAfterMs?: number }
  | { readonly code: 'failure'; readonly error: Error };

/** Where the SDK's batch processor sends batches: a storage, an HTTP server, memory. */
export interface Exporter {
  readonly name: string;
  export(records: readonly AuditRecord[]): Promise<ExportResult>;
  /** Releases resources; called once by the logger's shutdown(). */
  shutdown(): Promise<void>;
}

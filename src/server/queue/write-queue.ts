import type { Registry } from 'prom-client';
import type { AuditRecord } from '../../core/record.js';
import type { AppendResult } from '../../core/storage.js';

export interface SubmitOptions {
  /**
   * Admit the records even when the queue is full. Only for the server's own small records (the
   * audit of data access), whose count is bounded by the requests in flight.
   */
  readonly bypassCapacity?: boolean;
}

export interface WriteQueueStats {
  /** Records waiting for a writer. */
  readonly pendingRecords: number;
  /** Records being written right now. */
  readonly inFlightRecords: number;
  /** Most records pending + in flight (audit.async.queue_size). */
  readonly capacity: number;
  readonly workers: number;
  readonly busyWorkers: number;
}

/** What a queue reports as it works; the server turns it into Prometheus metrics. */
export interface WriteQueueObserver {
  /** A storage write finished: its size and how long append() took. */
  batchWritten?(records: number, durationMs: number): void;
  /** A storage write failed; its requests were rejected (nothing of them acknowledged). */
  batchFailed?(records: number, error: unknown): void;
  /** One request's records are durable, `latencyMs` after it was submitted. */
  requestDone?(latencyMs: number): void;
  /** A request was refused because the queue was full. */
  refused?(records: number): void;
}

/**
 * The server's write queue (seed 002's async pipeline): ingestion submits validated records of one
 * org and gets their outcomes once they are durable. Implementations: in-process (one machine);
 * NATS JetStream (queue/nats: many ingest nodes and writers). Contract:
 * - submit() resolves only after storage.append() committed the records (one outcome per record,
 *   in order; the NATS queue: after JetStream acknowledged every record, docs/deployment.md), and rejects with AUDITRAIL_ERR_QUEUE_FULL at once when the queue cannot take them
 *   (never buffers without bound), AUDITRAIL_ERR_SHUTTING_DOWN after close(), or the storage's
 *   error (nothing of that request is acknowledged; retrying it is safe: ids are idempotency keys).
 * - records of one org are written by one writer at a time, in submission order.
 * - close() stops intake, writes everything admitted, then resolves; calling it again returns the
 *   same promise.
 */
export interface WriteQueue {
  readonly name: string;
  submit(orgId: string, records: readonly AuditRecord[], options?: SubmitOptions): Promise<AppendResult>;
  stats(): WriteQueueStats;
  /** True when a request of `records` records would be refused now. */
  isFull(records?: number): boolean;
  /** Seconds a refused client should wait before retrying (for Retry-After). */
  retryAfterSeconds(): number;
  /**
   * Optional: the server hands over its metrics registry and queue observer (a queue created
   * before the server, e.g. the NATS queue, registers its own metrics there).
   */
  bindMetrics?(registry: Registry, observer: WriteQueueObserver): void;
  close(): Promise<void>;
}

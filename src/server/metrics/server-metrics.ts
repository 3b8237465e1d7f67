import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WriteQueue, WriteQueueObserver } from '../queue/write-queue.js';
import { createRedactionMetrics, type RedactionMetrics } from './redaction-metrics.js';
import type { StorageStatsSource } from './storage-stats.js';

/**
 * The server's Prometheus metrics, in a registry of its own (never the global one, so several
 * servers in one process, as in tests, do not collide). Seed 002's four monitoring points:
 * queue length, processing latency, write error rate, database growth.
 */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly queueObserver: WriteQueueObserver;
  /** Server-side redaction: values replaced and failures, by org and detector or reason. */
  readonly redaction: RedactionMetrics;
  recordOutcomes(accepted: number, duplicates: number, rejected: number): void;
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  refused(reason: 'queue_full' | 'rate_limited' | 'unauthenticated' | 'shutting_down'): void;
  /** Gauges read at scrape time. */
  watch(queue: WriteQueue, storage: StorageStatsSource | undefined): void;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'auditrail_' });
  const reg = [registry];
  let queue: WriteQueue | undefined;
  let storage: StorageStatsSource | undefined;

  new Gauge({
    name: 'auditrail_write_queue_length',
    help: 'Records waiting in the write queue or being written (seed 002: queue length).',
    registers: reg,
    collect() {
      const s = queue?.stats();
      this.set(s ? s.pendingRecords + s.inFlightRecords : 0);
    },
  });
  new Gauge({
    name: 'auditrail_write_queue_capacity',
    help: 'Most records the write queue admits (audit.async.queue_size).',
    registers: reg,
    collect() {
      this.set(queue?.stats().capacity ?? 0);
    },
  });
  new Gauge({
    name: 'auditrail_write_workers_busy',
    help: 'Writers busy with a storage write.',
    registers: reg,
    collect() {
      this.set(queue?.stats().busyWorkers ?? 0);
    },
  });
  const processing = new Histogram({
    name: 'auditrail_write_processing_seconds',
    help: 'From a request entering the write queue to its records being durable (seed 002: processing latency).',
    buckets: LATENCY_BUCKETS,
    registers: reg,
  });
  const storageWrite = new Histogram({
    name: 'auditrail_storage_write_seconds',
    help: 'Duration of one storage write (append of a batch).',
    buckets: LATENCY_BUCKETS,
    registers: reg,
  });
  const batchSize = new Histogram({ name: 'auditrail_write_batch_records', help: 'Records per storage write.', buckets: BATCH_BUCKETS, registers: reg });
  const writeErrors = new Counter({
    name: 'auditrail_write_errors_total',
    help: 'Storage writes that failed (seed 002: write error rate); their requests were answered 503 and nothing of them acknowledged.',
    registers: reg,
  });
  const writeErrorRecords = new Counter({ name: 'auditrail_write_error_records_total', help: 'Records in storage writes that failed.', registers: reg });
  const records = new Counter({ name: 'auditrail_records_total', help: 'Records received, by outcome.', labelNames: ['status'] as const, registers: reg });
  const refusedTotal = new Counter({ name: 'auditrail_requests_refused_total', help: 'Requests refused before processing, by reason.', labelNames: ['reason'] as const, registers: reg });
  const http = new Histogram({
    name: 'auditrail_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: reg,
  });
  // seed 002: database size growth; reported when the backend can tell (rate() of it is the growth)
  new Gauge({
    name: 'auditrail_storage_bytes',
    help: 'Size of the stored data in bytes, when the storage backend reports it (seed 002: database growth).',
    registers: reg,
    async collect() {
      const s = await storage?.storageStats?.().catch(() => undefined);
      if (s?.bytes !== undefined) this.set(s.bytes);
    },
  });
  new Gauge({
    name: 'auditrail_storage_partitions',
    help: 'Time partitions (or segment files) of the storage, when the backend reports them.',
    registers: reg,
    async collect() {
      const s = await storage?.storageStats?.().catch(() => undefined);
      if (s?.partitions !== undefined) this.set(s.partitions);
    },
  });
  for (const status of ['accepted', 'duplicate', 'rejected']) records.inc({ status }, 0);

  return {
    registry,
    redaction: createRedactionMetrics(registry),
    queueObserver: {
      batchWritten(n, ms) {
        batchSize.observe(n);
        storageWrite.observe(ms / 1000);
      },
      batchFailed(n) {
        writeErrors.inc();
        writeErrorRecords.inc(n);
      },
      requestDone(ms) {
        processing.observe(ms / 1000);
      },
      refused() {
        refusedTotal.inc({ reason: 'queue_full' });
      },
    },
    recordOutcomes(accepted, duplicates, rejected) {
      if (accepted) records.inc({ status: 'accepted' }, accepted);
      if (duplicates) records.inc({ status: 'duplicate' }, duplicates);
      if (rejected) records.inc({ status: 'rejected' }, rejected);
    },
    httpRequest(method, route, statusCode, seconds) {
      http.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
    refused(reason) {
      if (reason !== 'queue_full') refusedTotal.inc({ reason });
    },
    watch(q, s) {
      queue = q;
      storage = s;
    },
  };
}

import type { AuditrailConfig } from '../config/config-schema.js';
import { parseNatsQueueOptions, type ResolvedNatsQueueOptions } from '../queue/nats/nats-options.js';

/** The NATS queue options of a configuration (queue.nats.*, batch size and queue size from audit.async). */
export function natsOptionsFromConfig(config: AuditrailConfig): ResolvedNatsQueueOptions {
  const n = config.queue.nats;
  return parseNatsQueueOptions({
    servers: n.servers
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    stream: n.stream,
    subjectPrefix: n.subject_prefix,
    consumer: n.consumer,
    shards: n.shards,
    replicas: n.replicas,
    maxMessages: n.max_messages,
    duplicateWindowMs: n.duplicate_window_ms,
    ackWaitMs: n.ack_wait_ms,
    leaseTtlMs: n.lease_ttl_ms,
    publishTimeoutMs: n.publish_timeout_ms,
    maxBatchSize: config.audit.async.batch_size,
    maxInFlightRecords: config.audit.async.queue_size,
  });
}

import { z } from 'zod';
import { parseOptions } from '../../options.js';

const NAME = /^[A-Za-z0-9_-]+$/;
const SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const NatsQueueOptionsSchema = z
  .object({
    /** nats:// URLs of the cluster (any of them; the client learns the others). */
    servers: z.array(z.string().min(1)).min(1).default(['nats://127.0.0.1:4222']),
    /** The JetStream stream holding records until a writer committed them. */
    stream: z.string().regex(NAME, 'letters, digits, _ and - only').default('AUDITRAIL_RECORDS'),
    /** Records of shard n are published to `<subjectPrefix>.<n>`. */
    subjectPrefix: z.string().regex(SUBJECT, 'dot-separated tokens of letters, digits, _ and -').default('auditrail.records'),
    /** Durable consumer of shard n: `<consumer>-<n>`. */
    consumer: z.string().regex(NAME, 'letters, digits, _ and - only').default('auditrail-writer'),
    shards: z.number().int().min(1).max(1024).default(8),
    /** Stream (and lease bucket) replicas: 1 on one server, 3 in a production cluster. */
    replicas: z.number().int().min(1).max(5).default(1),
    /**
     * Most records the stream holds (not yet written); beyond it publishes are refused
     * (QUEUE_FULL). A message count, never a byte limit: with discard-new, nats-server before
     * 2.10.5 enforced max_bytes by silently deleting the oldest messages (nats-server#4771).
     */
    maxMessages: z.number().int().min(1_000).default(1_000_000),
    /** JetStream's duplicate window on Nats-Msg-Id (= record id). */
    duplicateWindowMs: z.number().int().min(1_000).max(86_400_000).default(120_000),
    /** Unacknowledged deliveries are redelivered after this long (writers extend it while writing). */
    ackWaitMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
    /** A shard whose lease was not renewed for this long is taken over by another writer. */
    leaseTtlMs: z.number().int().min(1_000).max(600_000).default(10_000),
    /** Longest an ingest node waits for JetStream to acknowledge a publish. */
    publishTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
    /** Records per storage write, at most. */
    maxBatchSize: z.number().int().min(1).max(100_000).default(500),
    /** Records an ingest node has in flight to JetStream, at most (beyond: QUEUE_FULL). */
    maxInFlightRecords: z.number().int().min(1).default(10_000),
  })
  .strict();

export type NatsQueueOptions = z.input<typeof NatsQueueOptionsSchema>;
export type ResolvedNatsQueueOptions = Readonly<z.output<typeof NatsQueueOptionsSchema>>;

export function parseNatsQueueOptions(input: NatsQueueOptions): ResolvedNatsQueueOptions {
  const o = parseOptions(NatsQueueOptionsSchema, input, 'nats queue');
  Object.freeze(o.servers);
  return o;
}

/** The names derived from the options, in one place. */
export function subjectOf(o: ResolvedNatsQueueOptions, shard: number): string {
  return `${o.subjectPrefix}.${shard}`;
}

export function consumerOf(o: ResolvedNatsQueueOptions, shard: number): string {
  return `${o.consumer}-${shard}`;
}

/** The key-value bucket of shard leases and node heartbeats. */
export function clusterBucketOf(o: ResolvedNatsQueueOptions): string {
  return `${o.stream}_cluster`;
}

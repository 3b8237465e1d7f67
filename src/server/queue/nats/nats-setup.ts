import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AckPolicy, connect, DeliverPolicy, DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type KV, type NatsConnection, type StreamConfig } from 'nats';
import { AuditrailError, errorMessage } from '../../../core/errors.js';
import { clusterBucketOf, consumerOf, subjectOf, type ResolvedNatsQueueOptions } from './nats-options.js';

/** A unique, readable id of this process in the cluster (host, pid, random suffix). */
export function newNodeId(role: string): string {
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'host';
  return `${role}-${host}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

/**
 * Connects to NATS. It reconnects forever once connected (publishes wait for it up to
 * publishTimeoutMs), but the first connection must succeed: a node that cannot reach NATS at
 * start refuses to start with QUEUE_UNAVAILABLE.
 */
export async function connectNats(o: ResolvedNatsQueueOptions, name: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: [...o.servers],
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
      timeout: 5_000,
    });
  } catch (err) {
    throw new AuditrailError('QUEUE_UNAVAILABLE', `cannot connect to NATS at ${o.servers.join(', ')}: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * The stream: file storage, work-queue retention (a record leaves the stream when its writer
 * acknowledges it after the commit), refuse new publishes when full (never drop old records),
 * duplicate window on Nats-Msg-Id, no deletes through the API.
 */
export function streamConfig(o: ResolvedNatsQueueOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: o.stream,
    description: 'auditrail: records acknowledged to clients, not yet committed to PostgreSQL',
    subjects: [`${o.subjectPrefix}.*`],
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.New,
    // a message count, exact: nats-server < 2.10.5 mis-sized messages against max_bytes and then
    // deleted the oldest to fit, acknowledged ones included (nats-server#4771); no byte limit
    max_msgs: o.maxMessages,
    max_bytes: -1,
    num_replicas: o.replicas,
    duplicate_window: nanos(o.duplicateWindowMs),
    deny_delete: true,
    allow_rollup_hdrs: false,
  };
}

/** Creates the stream, or checks that the existing one can keep the guarantees. */
export async function ensureStream(jsm: JetStreamManager, o: ResolvedNatsQueueOptions): Promise<void> {
  const wanted = streamConfig(o);
  let existing: StreamConfig | undefined;
  try {
    existing = (await jsm.streams.info(o.stream)).config;
  } catch (err) {
    if (!/stream not found/i.test(errorMessage(err))) throw unavailable(`cannot read stream ${o.stream}`, err);
  }
  if (!existing) {
    try {
      await jsm.streams.add(wanted);
      return;
    } catch (err) {
      // another node created it at the same moment: check it below
      if (!/already in use|exists/i.test(errorMessage(err))) throw unavailable(`cannot create stream ${o.stream}`, err);
      existing = (await jsm.streams.info(o.stream)).config;
    }
  }
  const problems: string[] = [];
  if (existing.storage !== StorageType.File) problems.push('storage is not file');
  if (existing.retention !== RetentionPolicy.Workqueue) problems.push('retention is not workqueue');
  if (existing.discard !== DiscardPolicy.New) problems.push('discard is not new (a full stream would drop acknowledged records)');
  if (!existing.subjects?.includes(`${o.subjectPrefix}.*`)) problems.push(`subjects do not include ${o.subjectPrefix}.*`);
  if (problems.length > 0) {
    throw new AuditrailError('QUEUE_UNAVAILABLE', `stream ${o.stream} exists with settings that break auditrail's guarantees: ${problems.join('; ')}; delete it once drained, or name another queue.nats.stream`);
  }
  if (existing.max_msgs !== wanted.max_msgs || existing.max_bytes !== wanted.max_bytes || existing.duplicate_window !== wanted.duplicate_window || existing.num_replicas !== wanted.num_replicas) {
    try {
      await jsm.streams.update(o.stream, { ...existing, max_msgs: wanted.max_msgs!, max_bytes: wanted.max_bytes!, duplicate_window: wanted.duplicate_window!, num_replicas: wanted.num_replicas! });
    } catch (err) {
      throw unavailable(`cannot update stream ${o.stream} to the configured max_messages/duplicate_window/replicas`, err);
    }
  }
}

/**
 * The durable pull consumer of a shard: explicit acks, never gives up redelivering (max_deliver
 * -1: a record is acknowledged to its client, it must reach the database), at most two batches
 * outstanding.
 */
export async function ensureConsumer(jsm: JetStreamManager, o: ResolvedNatsQueueOptions, shard: number): Promise<void> {
  const config = {
    durable_name: consumerOf(o, shard),
    description: `auditrail writer of shard ${shard}`,
    filter_subject: subjectOf(o, shard),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(o.ackWaitMs),
    max_deliver: -1,
    max_ack_pending: o.maxBatchSize * 2,
    max_waiting: 64,
  };
  try {
    const info = await jsm.consumers.info(o.stream, config.durable_name).catch((err: unknown) => {
      if (/consumer not found/i.test(errorMessage(err))) return undefined;
      throw err;
    });
    if (!info) await jsm.consumers.add(o.stream, config);
    else if (info.config.ack_wait !== config.ack_wait || info.config.max_ack_pending !== config.max_ack_pending) {
      await jsm.consumers.update(o.stream, config.durable_name, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
    }
  } catch (err) {
    throw unavailable(`cannot create consumer ${config.durable_name}`, err);
  }
}

/** The key-value bucket of shard leases and node heartbeats (history 1, file storage). */
export async function openClusterBucket(nc: NatsConnection, o: ResolvedNatsQueueOptions): Promise<KV> {
  try {
    return await nc.jetstream().views.kv(clusterBucketOf(o), {
      history: 1,
      replicas: o.replicas,
      storage: StorageType.File,
      // keys of dead nodes disappear by themselves; live ones rewrite theirs every leaseTtlMs / 3
      ttl: Math.max(60_000, 20 * o.leaseTtlMs),
      description: 'auditrail: shard leases and node heartbeats',
    });
  } catch (err) {
    throw unavailable(`cannot open the key-value bucket ${clusterBucketOf(o)}`, err);
  }
}

/**
 * What an acknowledged publish means on this server, for the startup log and `auditrail status`.
 * nats-server writes a message to the stream's file before it acknowledges it (it survives a
 * crash of nats-server), but fsyncs only every sync_interval (2 minutes by default) unless the
 * server runs with `sync_interval: always` (2.10 and later).
 */
export function durabilityNote(nc: NatsConnection, o: ResolvedNatsQueueOptions): string {
  const version = nc.info?.version ?? 'unknown';
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const canSyncAlways = major > 2 || (major === 2 && minor >= 10);
  const replicas = o.replicas > 1 ? `${o.replicas} replicas (an ack means a majority holds the record)` : '1 replica';
  return canSyncAlways
    ? `nats-server ${version}, ${replicas}: an ack is on disk only if the server runs with jetstream { sync_interval: always } (see docs/deployment.md)`
    : `nats-server ${version}, ${replicas}: an ack survives a nats-server crash but not a power loss within its 2-minute fsync interval (this version cannot fsync every write; use 2.10+ with sync_interval: always, see docs/deployment.md)`;
}

function unavailable(what: string, err: unknown): AuditrailError {
  return new AuditrailError('QUEUE_UNAVAILABLE', `${what}: ${errorMessage(err)}`, { cause: err });
}

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ClusterStatus } from './cluster-status.js';

/** Where the gauges read the cluster's state at scrape time. */
export interface ClusterStatusSource {
  /** The cluster's state (cached briefly: every gauge of one scrape reads the same snapshot). */
  status(): Promise<ClusterStatus | undefined>;
  /** Shards this process writes. */
  ownedShards(): readonly number[];
  connected(): boolean;
}

/**
 * The cluster's Prometheus metrics: the counters this node updates as it works, and gauges of the
 * whole cluster's state read from JetStream at scrape time (every node reports the same lag, so a
 * scrape of any node tells whether writers keep up).
 */
export interface ClusterMetrics {
  published(records: number, duplicates: number, seconds: number): void;
  publishFailed(reason: 'queue_full' | 'unavailable'): void;
  written(shard: number, records: number, seconds: number): void;
  writeFailed(shard: number): void;
  redelivered(shard: number, messages: number): void;
  invalidMessage(shard: number): void;
  leaseAcquired(shard: number, takeover: boolean): void;
  leaseLost(shard: number): void;
  /** Adds the gauges of a status source (a node registers its own once). */
  watch(source: ClusterStatusSource): void;
}

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createClusterMetrics(registry: Registry): ClusterMetrics {
  const registers = [registry];
  let source: ClusterStatusSource | undefined;
  const status = () => source?.status().catch(() => undefined) ?? Promise.resolve(undefined);

  const publishSeconds = new Histogram({ name: 'auditrail_cluster_publish_seconds', help: 'Ingest: from publishing a request to JetStream acknowledging all its records.', buckets: SECONDS, registers });
  const publishedRecords = new Counter({ name: 'auditrail_cluster_published_records_total', help: 'Ingest: records JetStream acknowledged, by outcome (duplicate = seen within the duplicate window).', labelNames: ['status'] as const, registers });
  const publishFailures = new Counter({ name: 'auditrail_cluster_publish_failures_total', help: 'Ingest: requests refused because JetStream refused or did not acknowledge a publish.', labelNames: ['reason'] as const, registers });
  const writtenRecords = new Counter({ name: 'auditrail_cluster_written_records_total', help: 'Writer: records written to storage and acknowledged, by shard.', labelNames: ['shard'] as const, registers });
  const writeSeconds = new Histogram({ name: 'auditrail_cluster_write_seconds', help: 'Writer: one storage write of a shard batch.', buckets: SECONDS, registers });
  const writeFailures = new Counter({ name: 'auditrail_cluster_write_failures_total', help: 'Writer: storage writes that failed (the batch stays unacknowledged and is retried).', labelNames: ['shard'] as const, registers });
  const redeliveries = new Counter({ name: 'auditrail_cluster_redeliveries_total', help: 'Writer: messages received more than once (a writer died or stalled with them).', labelNames: ['shard'] as const, registers });
  const invalid = new Counter({ name: 'auditrail_cluster_invalid_messages_total', help: 'Writer: messages that are not auditrail records (left unacknowledged, retried every minute).', labelNames: ['shard'] as const, registers });
  const acquired = new Counter({ name: 'auditrail_cluster_lease_acquired_total', help: 'Writer: shard leases taken, by how (free shard or takeover of a silent owner).', labelNames: ['shard', 'how'] as const, registers });
  const lost = new Counter({ name: 'auditrail_cluster_lease_lost_total', help: 'Writer: shard leases lost to another writer (this one was too slow to renew).', labelNames: ['shard'] as const, registers });

  const shardGauge = (name: string, help: string, pick: (s: ClusterStatus['shards'][number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['shard'] as const,
      registers,
      async collect() {
        const s = await status();
        this.reset();
        for (const shard of s?.shards ?? []) this.set({ shard: String(shard.shard) }, pick(shard));
      },
    });
  shardGauge('auditrail_cluster_shard_pending', 'Messages of the shard not yet delivered to its writer (lag).', (s) => s.pending);
  shardGauge('auditrail_cluster_shard_ack_pending', 'Messages of the shard delivered and not yet acknowledged (being written).', (s) => s.ackPending);
  shardGauge('auditrail_cluster_shard_redelivered', 'Messages of the shard delivered more than once and not yet acknowledged.', (s) => s.redelivered);
  shardGauge('auditrail_cluster_shard_waiting', 'Pull requests waiting on the shard consumer (1 = its writer is idle and listening).', (s) => s.waiting);
  shardGauge('auditrail_cluster_shard_ack_floor_seq', 'Stream sequence up to which the shard is acknowledged.', (s) => s.ackFloorSeq);
  shardGauge('auditrail_cluster_shard_lease_age_seconds', 'Seconds since the shard lease was renewed (-1 = no owner).', (s) => (s.leaseAgeMs === null ? -1 : s.leaseAgeMs / 1000));
  new Gauge({
    name: 'auditrail_cluster_shard_owner',
    help: 'The node holding each shard lease (value 1; no series = no owner).',
    labelNames: ['shard', 'owner'] as const,
    registers,
    async collect() {
      const s = await status();
      this.reset();
      for (const shard of s?.shards ?? []) if (shard.owner) this.set({ shard: String(shard.shard), owner: shard.owner }, 1);
    },
  });
  new Gauge({
    name: 'auditrail_cluster_shards_owned',
    help: 'Shards this node writes.',
    registers,
    collect() {
      this.set(source?.ownedShards().length ?? 0);
    },
  });
  new Gauge({
    name: 'auditrail_cluster_backlog_records',
    help: 'Records acknowledged to clients and not yet written to storage (all shards: pending + being written).',
    registers,
    async collect() {
      const s = await status();
      if (s) this.set(s.stream.backlog);
    },
  });
  new Gauge({
    name: 'auditrail_cluster_stream_messages',
    help: 'Messages in the JetStream stream (503 QUEUE_FULL at queue.nats.max_messages).',
    registers,
    async collect() {
      const s = await status();
      if (s) this.set(s.stream.messages);
    },
  });
  new Gauge({
    name: 'auditrail_cluster_stream_bytes',
    help: 'Bytes in the JetStream stream.',
    registers,
    async collect() {
      const s = await status();
      if (s) this.set(s.stream.bytes);
    },
  });
  new Gauge({
    name: 'auditrail_cluster_nats_connected',
    help: '1 while this node is connected to NATS.',
    registers,
    collect() {
      this.set(source?.connected() ? 1 : 0);
    },
  });
  for (const s of ['accepted', 'duplicate']) publishedRecords.inc({ status: s }, 0);

  return {
    published(records, duplicates, seconds) {
      publishSeconds.observe(seconds);
      if (records - duplicates > 0) publishedRecords.inc({ status: 'accepted' }, records - duplicates);
      if (duplicates > 0) publishedRecords.inc({ status: 'duplicate' }, duplicates);
    },
    publishFailed(reason) {
      publishFailures.inc({ reason });
    },
    written(shard, records, seconds) {
      writtenRecords.inc({ shard: String(shard) }, records);
      writeSeconds.observe(seconds);
    },
    writeFailed(shard) {
      writeFailures.inc({ shard: String(shard) });
    },
    redelivered(shard, messages) {
      redeliveries.inc({ shard: String(shard) }, messages);
    },
    invalidMessage(shard) {
      invalid.inc({ shard: String(shard) });
    },
    leaseAcquired(shard, takeover) {
      acquired.inc({ shard: String(shard), how: takeover ? 'takeover' : 'free' });
    },
    leaseLost(shard) {
      lost.inc({ shard: String(shard) });
    },
    watch(s) {
      source = s;
    },
  };
}

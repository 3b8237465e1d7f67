import type { Logger } from 'pino';
import { errorMessage } from '../../../core/errors.js';
import type { Storage } from '../../../core/storage.js';
import type { ClusterConnection } from './cluster-connection.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import { leaseKey, NODE_PREFIX, parseEntry, readBucket, type NodeHeartbeatValue } from './cluster-status.js';
import { LeaseKeeper } from './lease-keeper.js';
import { shardOf } from './shard-of.js';
import { ShardWriter } from './shard-writer.js';

export interface WriterGroupOptions {
  readonly cluster: ClusterConnection;
  readonly storage: Storage;
  readonly log?: Logger;
  readonly metrics?: ClusterMetrics;
  /** How long an idle shard writer's pull waits (its stop latency); default 2000. */
  readonly pollMs?: number;
}

/** A shard nobody took for this many lease TTLs is taken even beyond a fair share. */
const ORPHAN_TTLS = 3;

/**
 * The writers of one process. Every leaseTtlMs / 3 it renews its shard leases, reads the bucket,
 * counts the live writer nodes (heartbeats younger than two TTLs) and moves towards a fair share
 * of ceil(shards / writers): it claims free or silent shards while below it and gives one shard
 * back per round while above it (a joining writer gets its share within a few rounds). A shard it
 * holds gets one ShardWriter; one that it loses stops pulling at once.
 */
export class WriterGroup {
  readonly #o: WriterGroupOptions;
  readonly #leases: LeaseKeeper;
  readonly #writers = new Map<number, ShardWriter>();
  readonly #releasing = new Set<number>();
  /** Per held shard: must its next writer wait for a previous writer's unacknowledged deliveries? */
  readonly #orphansPossible = new Map<number, boolean>();
  /** Claim order of this node: rotated so nodes do not all race for shard 0 first. */
  readonly #order: number[];
  #metrics: ClusterMetrics | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  private constructor(options: WriterGroupOptions) {
    this.#o = options;
    this.#metrics = options.metrics;
    const { cluster } = options;
    this.#leases = new LeaseKeeper(cluster.kv, cluster.nodeId, cluster.options.leaseTtlMs);
    const n = cluster.options.shards;
    const start = shardOf(cluster.nodeId, n);
    this.#order = Array.from({ length: n }, (_, i) => (start + i) % n);
  }

  /** Starts claiming shards (the connection ensured their consumers). */
  static async start(options: WriterGroupOptions): Promise<WriterGroup> {
    const { cluster } = options;
    const group = new WriterGroup(options);
    await group.#tick();
    group.#timer = setInterval(() => void group.#tick(), Math.max(200, Math.floor(cluster.options.leaseTtlMs / 3)));
    group.#timer.unref();
    return group;
  }

  useMetrics(metrics: ClusterMetrics): void {
    this.#metrics = metrics;
  }

  ownedShards(): number[] {
    return this.#leases.held();
  }

  busyShards(): number {
    let n = 0;
    for (const w of this.#writers.values()) if (w.busy) n++;
    return n;
  }

  /** Stops every writer (each finishes and acknowledges its batch), then gives the leases back. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      await this.#ticking;
      await Promise.all([...this.#writers.values()].map((w) => w.stop()));
      this.#writers.clear();
      await Promise.all(this.#leases.held().map((s) => this.#leases.release(s)));
      this.#o.cluster.setShards([]);
    })();
    return this.#closing;
  }

  #tick(): Promise<void> {
    if (this.#closing || this.#ticking) return this.#ticking ?? Promise.resolve();
    this.#ticking = this.#round()
      .catch((err: unknown) => this.#o.log?.warn({ err: errorMessage(err) }, 'writer group: lease round failed'))
      .finally(() => {
        this.#ticking = undefined;
      });
    return this.#ticking;
  }

  async #round(): Promise<void> {
    const { cluster } = this.#o;
    for (const shard of await this.#leases.renewAll()) {
      this.#metrics?.leaseLost(shard);
      this.#o.log?.warn({ shard }, 'writer group: lease lost to another writer; stopping the shard');
      void this.#writers.get(shard)?.stop();
      this.#writers.delete(shard);
    }
    const entries = await readBucket(cluster.kv);
    const target = Math.ceil(cluster.options.shards / this.#liveWriters(entries));
    const held = this.#leases.held();
    if (held.length - this.#releasing.size > target) {
      this.#release(held.filter((s) => !this.#releasing.has(s)).at(-1)!);
    }
    let owned = held.length;
    for (const shard of this.#order) {
      if (this.#closing || this.#leases.holds(shard)) continue;
      const { claimable, forMs } = this.#leases.observe(shard, entries.get(leaseKey(shard)));
      if (!claimable) continue;
      const orphaned = forMs >= ORPHAN_TTLS * cluster.options.leaseTtlMs;
      if (owned >= target && !orphaned) continue;
      if (await this.#leases.claim(shard, claimable)) {
        owned++;
        this.#orphansPossible.set(shard, claimable === 'takeover');
        this.#metrics?.leaseAcquired(shard, claimable === 'takeover');
        this.#o.log?.info({ shard, how: claimable }, 'writer group: shard lease taken');
      }
    }
    this.#startWriters();
    cluster.setShards(this.#leases.held());
  }

  /** Heartbeats of writer nodes seen within two lease TTLs, this node included. */
  #liveWriters(entries: Awaited<ReturnType<typeof readBucket>>): number {
    const { cluster } = this.#o;
    const ids = new Set([cluster.nodeId]);
    const now = Date.now();
    for (const [key, entry] of entries) {
      if (!key.startsWith(NODE_PREFIX)) continue;
      const v = parseEntry<NodeHeartbeatValue>(entry);
      if (v && v.role !== 'ingest' && now - entry.created.getTime() < 2 * cluster.options.leaseTtlMs) ids.add(v.nodeId);
    }
    return ids.size;
  }

  /** (Re)starts a writer on every held shard that has none running and a valid lease. */
  #startWriters(): void {
    for (const shard of this.#leases.held()) {
      if (this.#releasing.has(shard) || !this.#leases.valid(shard)) continue;
      const running = this.#writers.get(shard);
      if (running && !running.finished) continue;
      const writer = new ShardWriter({
        cluster: this.#o.cluster,
        shard,
        storage: this.#o.storage,
        metrics: () => this.#metrics,
        leaseValid: () => this.#leases.valid(shard),
        // a restart on a lease still held follows a stop this node may not have finished cleanly
        awaitOrphans: this.#orphansPossible.get(shard) ?? true,
        ...(this.#o.log ? { log: this.#o.log } : {}),
        ...(this.#o.pollMs !== undefined ? { pollMs: this.#o.pollMs } : {}),
      });
      this.#writers.set(shard, writer);
      this.#orphansPossible.set(shard, true);
      writer.start();
    }
  }

  /** Hands a shard to another writer: finish its batch, then delete the lease (renewed meanwhile). */
  #release(shard: number): void {
    this.#releasing.add(shard);
    this.#o.log?.info({ shard }, 'writer group: giving a shard back for balance');
    void (async () => {
      await this.#writers.get(shard)?.stop();
      this.#writers.delete(shard);
      await this.#leases.release(shard);
      this.#releasing.delete(shard);
      this.#o.cluster.setShards(this.#leases.held());
    })();
  }
}

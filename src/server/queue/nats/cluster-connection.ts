import { hostname } from 'node:os';
import { Events, type JetStreamClient, type JetStreamManager, type KV, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { errorMessage } from '../../../core/errors.js';
import { nodeKey, readClusterStatus, type ClusterStatus, type NodeHeartbeatValue, type NodeRole } from './cluster-status.js';
import { connectNats, durabilityNote, ensureConsumer, ensureStream, newNodeId, openClusterBucket } from './nats-setup.js';
import type { ResolvedNatsQueueOptions } from './nats-options.js';

const STATUS_CACHE_MS = 1_000;

/**
 * One process's membership of the cluster: its NATS connection, the stream (created or checked
 * at start), the bucket of leases and heartbeats, and its own heartbeat key, rewritten every
 * leaseTtlMs / 3 so that `auditrail status` and the writers' balancing see it.
 */
export class ClusterConnection {
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly options: ResolvedNatsQueueOptions;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly kv: KV;
  /** What an acknowledged publish means on this server (for the startup line). */
  readonly durability: string;
  readonly #log: Logger | undefined;
  readonly #startedAt = new Date().toISOString();
  #connected = true;
  #url: string | undefined;
  #shards: readonly number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #cached: { at: number; value: Promise<ClusterStatus> } | undefined;
  #closing: Promise<void> | undefined;

  private constructor(parts: { nodeId: string; role: NodeRole; options: ResolvedNatsQueueOptions; nc: NatsConnection; jsm: JetStreamManager; kv: KV; log: Logger | undefined }) {
    this.nodeId = parts.nodeId;
    this.role = parts.role;
    this.options = parts.options;
    this.nc = parts.nc;
    this.js = parts.nc.jetstream();
    this.jsm = parts.jsm;
    this.kv = parts.kv;
    this.#log = parts.log;
    this.durability = durabilityNote(parts.nc, parts.options);
  }

  /** Connects, ensures the stream, the shard consumers and the bucket, writes the first heartbeat. */
  static async open(options: ResolvedNatsQueueOptions, role: NodeRole, log?: Logger): Promise<ClusterConnection> {
    const nodeId = newNodeId(role);
    const nc = await connectNats(options, `auditrail ${nodeId}`);
    try {
      const jsm = await nc.jetstreamManager();
      await ensureStream(jsm, options);
      // every node ensures the shard consumers, so the backlog is counted from the first publish
      for (let shard = 0; shard < options.shards; shard++) await ensureConsumer(jsm, options, shard);
      const kv = await openClusterBucket(nc, options);
      const node = new ClusterConnection({ nodeId, role, options, nc, jsm, kv, log });
      node.#watchConnection();
      await node.#beat();
      node.#timer = setInterval(() => void node.#beat(), Math.max(200, Math.floor(options.leaseTtlMs / 3)));
      node.#timer.unref();
      return node;
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
  }

  connected(): boolean {
    return this.#connected && !this.nc.isClosed();
  }

  /** The address this node serves HTTP on, shown by `auditrail status`. */
  setUrl(url: string): void {
    this.#url = url;
    void this.#beat();
  }

  /** The shards this node writes, shown by `auditrail status`. */
  setShards(shards: readonly number[]): void {
    this.#shards = [...shards].sort((a, b) => a - b);
    void this.#beat();
  }

  /** The cluster's state, cached for a second (a scrape reads many gauges). */
  status(): Promise<ClusterStatus> {
    const now = Date.now();
    if (!this.#cached || now - this.#cached.at > STATUS_CACHE_MS) {
      const value = readClusterStatus(this.jsm, this.kv, this.options, now);
      value.catch(() => {
        this.#cached = undefined;
      });
      this.#cached = { at: now, value };
    }
    return this.#cached.value;
  }

  /** Removes the heartbeat and drains the connection (pending publishes and acks are flushed). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      await this.kv.delete(nodeKey(this.nodeId)).catch(() => undefined);
      await this.nc.drain().catch(() => this.nc.close());
    })();
    return this.#closing;
  }

  async #beat(): Promise<void> {
    if (this.#closing) return;
    const value: NodeHeartbeatValue = {
      nodeId: this.nodeId,
      role: this.role,
      host: hostname(),
      pid: process.pid,
      startedAt: this.#startedAt,
      shards: this.#shards,
      ...(this.#url ? { url: this.#url } : {}),
    };
    try {
      await this.kv.put(nodeKey(this.nodeId), JSON.stringify(value));
    } catch (err) {
      this.#log?.warn({ err: errorMessage(err) }, 'nats: heartbeat failed');
    }
  }

  #watchConnection(): void {
    void (async () => {
      for await (const s of this.nc.status()) {
        if (s.type === Events.Disconnect) {
          this.#connected = false;
          this.#log?.warn({ server: s.data }, 'nats: disconnected, reconnecting');
        } else if (s.type === Events.Reconnect) {
          this.#connected = true;
          this.#log?.info({ server: s.data }, 'nats: reconnected');
        }
      }
    })().catch(() => undefined);
  }
}

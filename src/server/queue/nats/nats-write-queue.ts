import type { Registry } from 'prom-client';
import { AuditrailError, errorMessage } from '../../../core/errors.js';
import { recordId, type AuditRecord } from '../../../core/record.js';
import { appendResult, type AppendOutcome, type AppendResult } from '../../../core/storage.js';
import type { SubmitOptions, WriteQueue, WriteQueueObserver, WriteQueueStats } from '../write-queue.js';
import type { ClusterConnection } from './cluster-connection.js';
import { createClusterMetrics, type ClusterMetrics } from './cluster-metrics.js';
import { subjectOf } from './nats-options.js';
import { shardOf } from './shard-of.js';
import type { WriterGroup } from './writer-group.js';

export interface NatsWriteQueueOptions {
  readonly cluster: ClusterConnection;
  /** Writers running in this process (role `all`): stopped by close() before the connection. */
  readonly writers?: WriterGroup;
}

const encoder = new TextEncoder();
/** JetStream's answers when the stream is at max_msgs (discard: new) or out of storage. */
const STREAM_FULL = /maximum (bytes|messages|msgs)|insufficient resources/i;
const STREAM_REFRESH_MS = 2_000;

/**
 * The write queue of an ingest node: each record of a request is published to its org's shard
 * subject (`<prefix>.<fnv1a(org) mod shards>`) with Nats-Msg-Id = the record id, and submit()
 * resolves once JetStream acknowledged every one of them, so a 200 answer means every record is
 * in the stream (see docs/deployment.md for what that means on disk). A record JetStream reports
 * as a duplicate (same id within the duplicate window) is answered `duplicate`; beyond the window
 * the writer's storage deduplicates it. If any publish fails, the request fails whole (503,
 * retryable: the ids make a retry safe).
 */
export class NatsWriteQueue implements WriteQueue {
  readonly name = 'nats-jetstream';
  readonly #cluster: ClusterConnection;
  readonly #writers: WriterGroup | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  #inFlightRecords = 0;
  #observer: WriteQueueObserver = {};
  #metrics: ClusterMetrics | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** The stream's backlog (records not yet written), refreshed in the background. */
  #backlog = 0;
  /** Records the writers drain per second, estimated from successive stream states. */
  #drainRate = 0;
  #lastState: { at: number; written: number } | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(options: NatsWriteQueueOptions) {
    this.#cluster = options.cluster;
    this.#writers = options.writers;
    this.#timer = setInterval(() => void this.#refreshBacklog(), STREAM_REFRESH_MS);
    this.#timer.unref();
    void this.#refreshBacklog();
  }

  get nodeId(): string {
    return this.#cluster.nodeId;
  }

  /** What an acknowledged publish means on this NATS server (for the startup line). */
  get durability(): string {
    return this.#cluster.durability;
  }

  /** The HTTP address of this node, shown by `auditrail status`. */
  announce(url: string): void {
    this.#cluster.setUrl(url);
  }

  /** The server's metrics: its queue observer, and the cluster's metrics in its registry. */
  bindMetrics(registry: Registry, observer: WriteQueueObserver): void {
    this.#observer = observer;
    this.#metrics = createClusterMetrics(registry);
    this.#metrics.watch({ status: () => this.#cluster.status(), ownedShards: () => this.#writers?.ownedShards() ?? [], connected: () => this.#cluster.connected() });
    this.#writers?.useMetrics(this.#metrics);
  }

  submit(orgId: string, records: readonly AuditRecord[], options: SubmitOptions = {}): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new AuditrailError('SHUTTING_DOWN', 'the write queue is closed'));
    if (records.length === 0) return Promise.resolve(appendResult([]));
    if (!options.bypassCapacity && this.isFull(records.length)) {
      this.#observer.refused?.(records.length);
      this.#metrics?.publishFailed('queue_full');
      return Promise.reject(new AuditrailError('QUEUE_FULL', `${this.#inFlightRecords} records are being published (queue.nats.max_in_flight_records=${this.#cluster.options.maxInFlightRecords})`));
    }
    const p = this.#publish(orgId, records);
    this.#inFlight.add(p);
    this.#inFlightRecords += records.length;
    void p.then(
      () => this.#settle(p, records.length),
      () => this.#settle(p, records.length),
    );
    return p;
  }

  async #publish(orgId: string, records: readonly AuditRecord[]): Promise<AppendResult> {
    const o = this.#cluster.options;
    const subject = subjectOf(o, shardOf(orgId, o.shards));
    const started = performance.now();
    const submittedAt = Date.now();
    const payloads = records.map((r) => encoder.encode(JSON.stringify(r)));
    const maxPayload = this.#cluster.nc.info?.max_payload ?? Infinity;
    payloads.forEach((p, i) => {
      // refused before anything is published: the SDK splits the batch until this record is alone
      if (p.length > maxPayload) throw new AuditrailError('RECORD_TOO_LARGE', `record ${recordId(records[i]!)} is ${p.length} bytes as JSON; the NATS server takes at most ${maxPayload} (raise max_payload in nats-server.conf)`);
    });
    const acks = await Promise.allSettled(payloads.map((p, i) => this.#cluster.js.publish(subject, p, { msgID: recordId(records[i]!), timeout: o.publishTimeoutMs, expect: { streamName: o.stream } })));
    const outcomes: AppendOutcome[] = [];
    let duplicates = 0;
    for (let i = 0; i < acks.length; i++) {
      const a = acks[i]!;
      if (a.status === 'rejected') throw this.#failure(a.reason, records.length);
      if (a.value.duplicate) duplicates++;
      outcomes.push({ id: recordId(records[i]!), status: a.value.duplicate ? 'duplicate' : 'accepted' });
    }
    this.#metrics?.published(records.length, duplicates, (performance.now() - started) / 1000);
    this.#observer.requestDone?.(Date.now() - submittedAt);
    return appendResult(outcomes);
  }

  #failure(reason: unknown, records: number): AuditrailError {
    // nats.js puts JetStream's own answer in api_error ({ code: 503, err_code: 10077, description })
    const api = (reason as { api_error?: { description?: string } } | undefined)?.api_error;
    const message = api?.description ?? errorMessage(reason);
    if (STREAM_FULL.test(message)) {
      this.#observer.refused?.(records);
      this.#metrics?.publishFailed('queue_full');
      return new AuditrailError('QUEUE_FULL', `the JetStream stream ${this.#cluster.options.stream} is full (queue.nats.max_messages): writers are behind or down`, { cause: reason });
    }
    this.#metrics?.publishFailed('unavailable');
    this.#observer.batchFailed?.(records, reason);
    return new AuditrailError('QUEUE_UNAVAILABLE', `JetStream did not acknowledge a publish: ${message}`, { cause: reason });
  }

  #settle(p: Promise<unknown>, records: number): void {
    this.#inFlight.delete(p);
    this.#inFlightRecords -= records;
  }

  isFull(records = 1): boolean {
    return this.#inFlightRecords > 0 && this.#inFlightRecords + records > this.#cluster.options.maxInFlightRecords;
  }

  retryAfterSeconds(): number {
    const seconds = this.#drainRate > 0 ? this.#backlog / this.#drainRate : 1;
    return Math.min(30, Math.max(1, Math.ceil(seconds)));
  }

  stats(): WriteQueueStats {
    return {
      pendingRecords: this.#backlog + this.#inFlightRecords,
      inFlightRecords: 0,
      capacity: this.#cluster.options.maxInFlightRecords,
      workers: this.#writers?.ownedShards().length ?? 0,
      busyWorkers: this.#writers?.busyShards() ?? 0,
    };
  }

  /** Stops intake, waits for the publishes in flight, stops local writers, leaves the cluster. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      await Promise.allSettled([...this.#inFlight]);
      await this.#writers?.close();
      await this.#cluster.close();
    })();
    return this.#closing;
  }

  async #refreshBacklog(): Promise<void> {
    try {
      const status = await this.#cluster.status();
      const now = Date.now();
      // the backlog is what the shard consumers have not acknowledged yet (the stream's own count
      // may include acknowledged messages nats-server 2.9 kept after a crash)
      const backlog = status.stream.backlog;
      const written = status.stream.lastSeq - backlog;
      if (this.#lastState && now > this.#lastState.at && written >= this.#lastState.written) {
        const rate = ((written - this.#lastState.written) * 1000) / (now - this.#lastState.at);
        this.#drainRate = 0.7 * this.#drainRate + 0.3 * rate;
      }
      this.#lastState = { at: now, written };
      this.#backlog = backlog;
    } catch {
      // disconnected: keep the last figures
    }
  }
}

import type { Consumer, JsMsg } from 'nats';
import type { Logger } from 'pino';
import { errorMessage } from '../../../core/errors.js';
import { parseRecord, recordId, type AuditRecord } from '../../../core/record.js';
import type { Storage } from '../../../core/storage.js';
import type { ClusterConnection } from './cluster-connection.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import { consumerOf } from './nats-options.js';

export interface ShardWriterOptions {
  readonly cluster: ClusterConnection;
  readonly shard: number;
  readonly storage: Storage;
  readonly log?: Logger;
  readonly metrics: () => ClusterMetrics | undefined;
  /** False once this node may no longer be sure it holds the shard's lease: stop fetching. */
  readonly leaseValid: () => boolean;
  /** How long one pull waits for a first message (the stop latency of an idle writer). */
  readonly pollMs?: number;
}

const decoder = new TextDecoder();
const INVALID_RETRY_MS = 60_000;
const DRAIN_GUARD_MS = 2_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Writes one shard: pulls what the shard's durable consumer has (one long poll for the first
 * message, then everything already there, up to maxBatchSize), writes it with one
 * storage.append(), and acknowledges the messages only after the append committed. The batch is
 * retried until it commits (a record acknowledged to a client must reach the database), telling
 * JetStream the writer is still working so it does not redeliver meanwhile. Messages are written
 * in stream order, so an org's records are chained in the order they were acknowledged.
 *
 * On start it waits until messages a previous owner left unacknowledged are redelivered (at most
 * ackWaitMs): redeliveries come before newer messages, so a takeover keeps the order.
 */
export class ShardWriter {
  readonly shard: number;
  readonly #o: ShardWriterOptions;
  #stopping = false;
  #busy = false;
  #finished = false;
  #done: Promise<void> | undefined;
  #consumer: Consumer | undefined;

  constructor(options: ShardWriterOptions) {
    this.#o = options;
    this.shard = options.shard;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** True once its loop ended (stopped, or the lease became uncertain): the group starts a new one. */
  get finished(): boolean {
    return this.#finished;
  }

  start(): void {
    this.#done ??= this.#run()
      .catch((err: unknown) => {
        this.#o.log?.error({ shard: this.shard, err: errorMessage(err) }, 'shard writer stopped by an unexpected error');
      })
      .finally(() => {
        this.#finished = true;
      });
  }

  /** Finishes the batch being written (and acknowledges it), releases the rest, stops. */
  stop(): Promise<void> {
    this.#stopping = true;
    return this.#done ?? Promise.resolve();
  }

  #running(): boolean {
    return !this.#stopping && this.#o.leaseValid();
  }

  async #run(): Promise<void> {
    const { cluster } = this.#o;
    const name = consumerOf(cluster.options, this.shard);
    await this.#awaitOrphans(name);
    while (this.#running()) {
      try {
        this.#consumer ??= await cluster.js.consumers.get(cluster.options.stream, name);
        const first = await this.#consumer.next({ expires: this.#o.pollMs ?? 2_000 });
        if (!first) continue;
        if (!this.#running()) {
          settle([first], (m) => m.nak());
          break;
        }
        const batch = [first, ...(await this.#drain(name, cluster.options.maxBatchSize - 1))];
        await this.#write(batch);
      } catch (err) {
        if (!this.#running()) break;
        this.#o.log?.warn({ shard: this.shard, err: errorMessage(err) }, 'shard writer: pull failed, retrying');
        this.#consumer = undefined;
        await sleep(500);
      }
    }
  }

  /** Whatever the consumer holds right now, without waiting. */
  async #drain(name: string, max: number): Promise<JsMsg[]> {
    if (max <= 0) return [];
    const out: JsMsg[] = [];
    const iter = this.#o.cluster.js.fetch(this.#o.cluster.options.stream, name, { batch: max, no_wait: true });
    // a no-wait pull has no client-side timer: if its answer is lost (nats-server restarting),
    // the iterator would wait forever; what arrived before the guard fires is kept
    const guard = setTimeout(() => iter.stop(), DRAIN_GUARD_MS);
    try {
      for await (const m of iter) out.push(m);
    } finally {
      clearTimeout(guard);
    }
    return out;
  }

  /**
   * A previous owner's unacknowledged messages are redelivered only once their ack wait expires;
   * pulling before that would write newer messages of the same orgs first.
   */
  async #awaitOrphans(name: string): Promise<void> {
    const { cluster } = this.#o;
    const until = Date.now() + cluster.options.ackWaitMs + 1_000;
    while (this.#running() && Date.now() < until) {
      try {
        const info = await cluster.jsm.consumers.info(cluster.options.stream, name);
        if (info.num_ack_pending === 0) return;
        this.#o.log?.info({ shard: this.shard, ackPending: info.num_ack_pending }, 'shard writer: waiting for the previous owner’s deliveries to expire');
      } catch {
        // NATS unreachable for now: keep waiting within the bound
      }
      await sleep(Math.min(1_000, Math.max(50, until - Date.now())));
    }
  }

  async #write(batch: JsMsg[]): Promise<void> {
    const metrics = this.#o.metrics;
    const records: AuditRecord[] = [];
    const msgs: JsMsg[] = [];
    let redelivered = 0;
    for (const m of batch) {
      if (m.redelivered) redelivered++;
      const record = decode(m);
      if (record) {
        records.push(record);
        msgs.push(m);
      } else {
        metrics()?.invalidMessage(this.shard);
        this.#o.log?.error({ shard: this.shard, seq: m.seq, subject: m.subject }, 'shard writer: a message is not an auditrail record; left unacknowledged (retried every minute)');
        settle([m], (x) => x.nak(INVALID_RETRY_MS));
      }
    }
    if (redelivered > 0) metrics()?.redelivered(this.shard, redelivered);
    if (records.length === 0) return;
    this.#busy = true;
    const keepAlive = setInterval(() => settle(msgs, (m) => m.working()), Math.max(250, Math.floor(this.#o.cluster.options.ackWaitMs / 3)));
    try {
      for (let attempt = 0; ; attempt++) {
        const started = performance.now();
        try {
          await this.#o.storage.append(records);
        } catch (err) {
          metrics()?.writeFailed(this.shard);
          this.#o.log?.error({ shard: this.shard, records: records.length, attempt, err: errorMessage(err), firstId: recordId(records[0]!) }, 'shard writer: storage write failed; the batch stays unacknowledged');
          if (!this.#running()) {
            // stopping or lease lost: hand the batch back at once, the next owner gets it first
            settle(msgs, (m) => m.nak());
            return;
          }
          await sleep(Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)));
          continue;
        }
        metrics()?.written(this.shard, records.length, (performance.now() - started) / 1000);
        // committed: if an ack is lost (NATS down), the redelivery is a duplicate the storage skips
        settle(msgs, (m) => m.ack());
        return;
      }
    } finally {
      clearInterval(keepAlive);
      this.#busy = false;
    }
  }
}

/** Acks, naks and progress notes are best effort: on a closed connection JetStream redelivers. */
function settle(msgs: readonly JsMsg[], fn: (m: JsMsg) => void): void {
  for (const m of msgs) {
    try {
      fn(m);
    } catch {
      // connection closed or draining: the message stays unacknowledged and comes back
    }
  }
}

function decode(m: JsMsg): AuditRecord | undefined {
  try {
    const parsed = parseRecord(JSON.parse(decoder.decode(m.data)));
    return parsed.ok ? parsed.record : undefined;
  } catch {
    return undefined;
  }
}

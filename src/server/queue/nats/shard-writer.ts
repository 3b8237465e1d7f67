import type { Logger } from 'pino';
import { errorMessage } from '../../../core/errors.js';
import { parseRecord, recordId, type AuditRecord } from '../../../core/record.js';
import type { Storage } from '../../../core/storage.js';
import type { ClusterConnection } from './cluster-connection.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import { consumerOf } from './nats-options.js';
import { ShardPuller, type ShardMessage } from './shard-puller.js';

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
  /**
   * Wait first for deliveries a previous writer of the shard may have left unacknowledged (a
   * takeover from a silent owner, or a restart after an outage). Not after a graceful hand-over:
   * the previous owner gave back (nak) what it held before deleting its lease.
   */
  readonly awaitOrphans: boolean;
}

const decoder = new TextDecoder();
const INVALID_RETRY_MS = 60_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Writes one shard: takes what the shard's durable consumer delivered (everything buffered, up
 * to maxBatchSize; see ShardPuller), writes it with one storage.append(), and acknowledges the messages only after the append committed. The batch is
 * retried until it commits (a record acknowledged to a client must reach the database), telling
 * JetStream the writer is still working so it does not redeliver meanwhile. Messages are written
 * in stream order, so an org's records are chained in the order they were acknowledged.
 *
 * After a takeover it first waits until what the silent owner left unacknowledged is redelivered
 * (at most ackWaitMs): redeliveries come before newer messages, so a takeover keeps the order.
 */
export class ShardWriter {
  readonly shard: number;
  readonly #o: ShardWriterOptions;
  #stopping = false;
  #busy = false;
  #finished = false;
  #done: Promise<void> | undefined;
  #puller: ShardPuller | undefined;

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

  /**
   * Pull, write, acknowledge. The puller keeps filling its buffer while a batch is written (the
   * consumer allows two batches outstanding); batches are taken in delivery order, so order holds.
   */
  async #run(): Promise<void> {
    const { cluster } = this.#o;
    const name = consumerOf(cluster.options, this.shard);
    if (this.#o.awaitOrphans) await this.#awaitOrphans(name);
    if (!this.#running()) return;
    const puller = new ShardPuller({ nc: cluster.nc, stream: cluster.options.stream, consumer: name, batch: cluster.options.maxBatchSize, expiresMs: this.#o.pollMs ?? 2_000 });
    this.#puller = puller;
    puller.start();
    try {
      while (this.#running()) {
        const batch = await puller.take(cluster.options.maxBatchSize, this.#o.pollMs ?? 2_000);
        if (batch.length === 0) continue;
        if (!this.#running()) {
          settle(batch, (m) => m.nak());
          break;
        }
        await this.#write(batch);
      }
    } finally {
      // hand back what was delivered and will not be written here: the next owner gets it first
      settle(await puller.stop(), (m) => m.nak());
    }
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

  async #write(batch: ShardMessage[]): Promise<void> {
    const metrics = this.#o.metrics;
    const records: AuditRecord[] = [];
    const msgs: ShardMessage[] = [];
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
    // while it is written, neither this batch nor what was delivered meanwhile may be redelivered
    const keepAlive = setInterval(() => settle([...msgs, ...(this.#puller?.buffered() ?? [])], (m) => m.working()), Math.max(250, Math.floor(this.#o.cluster.options.ackWaitMs / 3)));
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
function settle(msgs: readonly ShardMessage[], fn: (m: ShardMessage) => void): void {
  for (const m of msgs) {
    try {
      fn(m);
    } catch {
      // connection closed or draining: the message stays unacknowledged and comes back
    }
  }
}

function decode(m: ShardMessage): AuditRecord | undefined {
  try {
    const parsed = parseRecord(JSON.parse(decoder.decode(m.data)));
    return parsed.ok ? parsed.record : undefined;
  } catch {
    return undefined;
  }
}

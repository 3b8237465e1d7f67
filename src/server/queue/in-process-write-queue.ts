import { z } from 'zod';
import { AuditrailError } from '../../core/errors.js';
import type { AuditRecord } from '../../core/record.js';
import { appendResult, type AppendResult, type Storage } from '../../core/storage.js';
import { parseOptions } from '../options.js';
import { isOrgScoped } from '../tenancy/tenant-reader.js';
import type { SubmitOptions, WriteQueue, WriteQueueObserver, WriteQueueStats } from './write-queue.js';

const OptionsSchema = z
  .object({
    workers: z.number().int().min(1).max(64).default(4),
    maxQueueSize: z.number().int().min(1).default(10_000),
    maxBatchSize: z.number().int().min(1).default(500),
    batchIntervalMs: z.number().int().min(0).default(0),
  })
  .strict();

export type InProcessWriteQueueOptions = z.input<typeof OptionsSchema> & {
  readonly storage: Storage;
  readonly observer?: WriteQueueObserver;
};

interface Entry {
  readonly orgId: string;
  readonly records: readonly AuditRecord[];
  readonly submittedAt: number;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * The in-process write queue: pending requests are grouped per org; a free writer takes the
 * oldest ready org's requests (whole requests, up to maxBatchSize records) and writes them with
 * one storage.append(). An org is ready when it has a full batch, when its oldest request has
 * waited batchIntervalMs, or when the queue is closing. While all writers are busy, requests pile
 * up and are written together (group commit), which is where the throughput comes from.
 */
export class InProcessWriteQueue implements WriteQueue {
  readonly name = 'in-process';
  readonly #storage: Storage;
  readonly #observer: WriteQueueObserver;
  readonly #o: z.output<typeof OptionsSchema>;
  /** Per org, its pending requests in order; Map order = order in which orgs became pending. */
  readonly #pending = new Map<string, Entry[]>();
  readonly #busyOrgs = new Set<string>();
  #pendingRecords = 0;
  #inFlightRecords = 0;
  #busyWorkers = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #closed = false;
  #closing: Promise<void> | undefined;
  #idle: (() => void) | undefined;
  /** Recent throughput (records/s), for Retry-After. */
  #rate = 0;

  constructor(options: InProcessWriteQueueOptions) {
    const { storage, observer, ...rest } = options;
    this.#o = parseOptions(OptionsSchema, rest, 'write queue');
    this.#storage = storage;
    this.#observer = observer ?? {};
  }

  submit(orgId: string, records: readonly AuditRecord[], options: SubmitOptions = {}): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new AuditrailError('SHUTTING_DOWN', 'the write queue is closed'));
    if (records.length === 0) return Promise.resolve(appendResult([]));
    if (!options.bypassCapacity && this.isFull(records.length)) {
      this.#observer.refused?.(records.length);
      return Promise.reject(new AuditrailError('QUEUE_FULL', `${this.#pendingRecords + this.#inFlightRecords} of ${this.#o.maxQueueSize} records queued`));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      const entry: Entry = { orgId, records, submittedAt: Date.now(), resolve, reject };
      const list = this.#pending.get(orgId);
      if (list) list.push(entry);
      else this.#pending.set(orgId, [entry]);
      this.#pendingRecords += records.length;
      this.#dispatch();
    });
  }

  isFull(records = 1): boolean {
    const used = this.#pendingRecords + this.#inFlightRecords;
    // an empty queue takes any request, so one larger than the queue is not refused forever
    return used > 0 && used + records > this.#o.maxQueueSize;
  }

  retryAfterSeconds(): number {
    const backlog = this.#pendingRecords + this.#inFlightRecords;
    const seconds = this.#rate > 0 ? backlog / this.#rate : 1;
    return Math.min(30, Math.max(1, Math.ceil(seconds)));
  }

  stats(): WriteQueueStats {
    return {
      pendingRecords: this.#pendingRecords,
      inFlightRecords: this.#inFlightRecords,
      capacity: this.#o.maxQueueSize,
      workers: this.#o.workers,
      busyWorkers: this.#busyWorkers,
    };
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= new Promise<void>((resolve) => {
      this.#idle = resolve;
      this.#dispatch();
      this.#checkIdle();
    });
    return this.#closing;
  }

  #dispatch(): void {
    const now = Date.now();
    let nextReadyAt = Infinity;
    while (this.#busyWorkers < this.#o.workers) {
      let chosen: string | undefined;
      for (const [orgId, list] of this.#pending) {
        if (this.#busyOrgs.has(orgId)) continue;
        const readyAt = this.#readyAt(list);
        if (readyAt <= now) {
          chosen = orgId;
          break;
        }
        nextReadyAt = Math.min(nextReadyAt, readyAt);
      }
      if (chosen === undefined) break;
      this.#start(chosen);
    }
    this.#arm(nextReadyAt);
  }

  #readyAt(list: readonly Entry[]): number {
    if (this.#closed) return -Infinity;
    let n = 0;
    for (const e of list) if ((n += e.records.length) >= this.#o.maxBatchSize) return -Infinity;
    return list[0]!.submittedAt + this.#o.batchIntervalMs;
  }

  #arm(at: number): void {
    if (at === Infinity || at >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timerAt = Infinity;
      this.#timer = undefined;
      this.#dispatch();
    }, Math.max(0, at - Date.now()));
    this.#timer.unref();
  }

  #start(orgId: string): void {
    const list = this.#pending.get(orgId)!;
    const batch: Entry[] = [];
    let size = 0;
    while (list.length > 0 && (batch.length === 0 || size + list[0]!.records.length <= this.#o.maxBatchSize)) {
      const e = list.shift()!;
      batch.push(e);
      size += e.records.length;
    }
    // fairness: an org with more pending goes to the back of the line
    this.#pending.delete(orgId);
    if (list.length > 0) this.#pending.set(orgId, list);
    this.#pendingRecords -= size;
    this.#inFlightRecords += size;
    this.#busyWorkers++;
    this.#busyOrgs.add(orgId);
    void this.#write(orgId, batch, size);
  }

  async #write(orgId: string, batch: Entry[], size: number): Promise<void> {
    const records = batch.length === 1 ? batch[0]!.records : batch.flatMap((e) => e.records);
    const started = performance.now();
    try {
      // a storage with forOrg() (row-level security) writes each org's batch in that org's context
      const target = isOrgScoped(this.#storage) ? this.#storage.forOrg(orgId) : this.#storage;
      const result = await target.append(records);
      const took = performance.now() - started;
      this.#observer.batchWritten?.(size, took);
      this.#rate = took > 0 ? 0.7 * this.#rate + 0.3 * ((size * 1000) / took) : this.#rate;
      let at = 0;
      const doneAt = Date.now();
      for (const e of batch) {
        const slice = result.results.slice(at, at + e.records.length);
        at += e.records.length;
        this.#observer.requestDone?.(doneAt - e.submittedAt);
        e.resolve(appendResult(slice));
      }
    } catch (err) {
      this.#observer.batchFailed?.(size, err);
      const error = err instanceof AuditrailError ? err : new AuditrailError('STORAGE_UNAVAILABLE', 'the storage write failed', { cause: err });
      for (const e of batch) e.reject(error);
    } finally {
      this.#inFlightRecords -= size;
      this.#busyWorkers--;
      this.#busyOrgs.delete(orgId);
      this.#dispatch();
      this.#checkIdle();
    }
  }

  #checkIdle(): void {
    if (this.#idle && this.#pendingRecords === 0 && this.#inFlightRecords === 0) {
      clearTimeout(this.#timer);
      this.#idle();
      this.#idle = undefined;
    }
  }
}

export function createInProcessWriteQueue(options: InProcessWriteQueueOptions): WriteQueue {
  return new InProcessWriteQueue(options);
}

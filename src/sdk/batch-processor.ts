import {
  AuditrailError,
  ERRORS,
  errorMessage,
  recordId,
  type AuditRecord,
  type ErrorName,
  type Exporter,
  type ExportResult,
  type ParseResult,
  type RejectedRecord,
} from '../core/index.js';
import type { DiagnosticChannel, ReportExtra } from './diagnostics.js';
import type { RetryPolicy } from './options.js';
import type { OverflowAnswer, OverflowSink } from './overflow.js';
import { backoffMs, sleep } from './retry.js';
import { RingQueue } from './ring-queue.js';
import { countDrop, type LoggerStats, type StatsCounters } from './stats.js';

export interface BatchProcessorOptions<Q> {
  readonly exporter: Exporter;
  /** Builds and validates a queued item (runs here, off the caller's path). */
  readonly prepare: (item: Q) => ParseResult;
  /** The record id of a queued item, for diagnostics. */
  readonly idOf: (item: Q) => string;
  readonly maxBatchSize: number;
  readonly flushIntervalMs: number;
  readonly maxQueueSize: number;
  /** Deadline for one batch, retries included. */
  readonly exportTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly diagnostics: DiagnosticChannel;
  readonly counters: StatsCounters;
  readonly overflow?: OverflowSink<Q> | undefined;
}

type BatchOutcome = { readonly ok: true; readonly rejected: readonly RejectedRecord[] } | { readonly ok: false; readonly error: Error; readonly retryable: boolean };

/**
 * The pipeline between the record path and the exporter, after OpenTelemetry's
 * BatchSpanProcessorBase: a bounded queue; one export in flight; an unref'd timer that exports
 * what has gathered after flushIntervalMs; a full batch exported at once (on a microtask, never
 * on the caller's stack); export results as values, retryable ones retried with backoff and
 * jitter until exportTimeoutMs. Every record that cannot be delivered is counted and reported.
 *
 * Memory: at most maxQueueSize queued items plus one batch (maxBatchSize) in flight.
 */
export class BatchProcessor<Q> {
  readonly #o: BatchProcessorOptions<Q>;
  readonly #queue: RingQueue<Q>;
  readonly #c: StatsCounters;
  readonly #diag: DiagnosticChannel;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #exporting = false;
  #pumpScheduled = false;
  #inFlight = 0;
  /** The validated records of the batch in flight (for the spool at exit). */
  #current: AuditRecord[] = [];
  /** Items that entered the queue, and items that left it and reached a terminal counter. */
  #enqueued = 0;
  #settled = 0;
  #waiters: { target: number; resolve: () => void }[] = [];
  #closed = false;
  #shutdown: Promise<void> | undefined;
  /** Set during shutdown once a batch gave up: the rest is not attempted, only counted. */
  #sinkDown: Error | undefined;

  constructor(options: BatchProcessorOptions<Q>) {
    this.#o = options;
    this.#queue = new RingQueue<Q>(options.maxQueueSize);
    this.#c = options.counters;
    this.#diag = options.diagnostics;
  }

  /** The record path: O(1), synchronous, never throws. False when the item was not queued. */
  enqueue(item: Q): boolean {
    if (this.#closed) {
      countDrop(this.#c, 'shutDown', 1);
      this.#diag.report('LOGGER_SHUT_DOWN', 'dropped', 1, 'recorded after shutdown()', { recordId: this.#o.idOf(item) });
      return false;
    }
    if (!this.#queue.push(item)) {
      this.#overflowQueued(item);
      return false;
    }
    this.#enqueued++;
    if (this.#queue.size >= this.#o.maxBatchSize) this.#schedulePump();
    else if (this.#timer === undefined && !this.#exporting) this.#armTimer();
    return true;
  }

  /** Resolves when every item queued before the call has been exported, rejected or dropped. */
  forceFlush(): Promise<void> {
    if (this.#queue.size === 0 && !this.#exporting) return Promise.resolve();
    const target = this.#enqueued;
    return new Promise((resolve) => {
      this.#waiters.push({ target, resolve });
      this.#schedulePump();
    });
  }

  /** Stops accepting, exports everything queued, shuts the exporter down. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#close();
    return this.#shutdown;
  }

  /** Items not yet settled (queued or in flight). */
  get pending(): number {
    return this.#queue.size + this.#inFlight;
  }

  stats(): LoggerStats {
    const c = this.#c;
    return { ...c, dropReasons: { ...c.dropReasons }, queued: this.#queue.size, inFlight: this.#inFlight };
  }

  /**
   * The process is exiting and nothing more can run: what is still pending (the batch in flight,
   * the queue) goes to the overflow sink if it can write synchronously (the spool), and the rest
   * is counted as dropped and reported, synchronously.
   */
  dropAtExit(): void {
    const records = this.#current;
    const items = this.#queue.take(this.#queue.size);
    this.#inFlight = 0;
    this.#current = [];
    const n = records.length + items.length;
    if (n === 0) return;
    const kept = this.#spillAtExit(records, items);
    if (kept > 0) {
      this.#c.spooled += kept;
      this.#diag.report('EXPORT_FAILED', 'spooled', kept, 'the process exited before these records were exported; they were written to the spool', {});
    }
    if (kept < n) {
      countDrop(this.#c, 'exit', n - kept);
      const lostIds = [...records.slice(kept).map(recordId), ...items.slice(Math.max(0, kept - records.length)).map((q) => this.#o.idOf(q))];
      this.#diag.report('EXPORT_FAILED', 'dropped', n - kept, 'the process exited before these records were exported; call `await logger.shutdown()` before exiting', {
        recordIds: lostIds.slice(0, 10),
      });
    }
    this.#diag.deliver(true);
  }

  /** How many of the batch in flight, then of the queue, in that order, the overflow sink kept at exit. */
  #spillAtExit(records: readonly AuditRecord[], items: readonly Q[]): number {
    const sink = this.#o.overflow;
    if (sink?.takeAtExit === undefined) return 0;
    try {
      const kept = sink.takeAtExit(records, items);
      return Number.isInteger(kept) ? Math.max(0, Math.min(records.length + items.length, kept)) : 0;
    } catch {
      return 0;
    }
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    await this.forceFlush();
    try {
      await this.#o.overflow?.close?.();
    } catch (err) {
      this.#diag.report('SPOOL_UNAVAILABLE', 'notice', 0, `closing the spool failed: ${errorMessage(err)}`, { cause: err });
    }
    try {
      await this.#o.exporter.shutdown();
    } catch (err) {
      this.#diag.report('EXPORT_FAILED', 'notice', 0, `${this.#o.exporter.name}: shutdown failed: ${errorMessage(err)}`, { cause: err });
    }
  }

  #overflowQueued(item: Q): void {
    const sink = this.#o.overflow;
    const detail = `the queue held maxQueueSize=${this.#o.maxQueueSize} records`;
    const answer = sink === undefined ? false : offer(() => sink.takeQueued(item));
    if (answer === true) {
      this.#c.spooled++;
      this.#diag.report('QUEUE_FULL', 'spooled', 1, detail, { recordId: this.#o.idOf(item) });
      return;
    }
    this.#dropRefused(answer, 'queueFull', 'QUEUE_FULL', 1, detail, { recordId: this.#o.idOf(item) });
  }

  /** Records the overflow sink did not keep: dropped for the original reason, or because the spool is full or broken. */
  #dropRefused(answer: OverflowAnswer, reason: 'queueFull' | 'exportFailed', name: ErrorName, n: number, detail: string, extra: ReportExtra): void {
    if (answer === 'full') {
      countDrop(this.#c, 'spoolFull', n);
      this.#diag.report('SPOOL_FULL', 'dropped', n, `${detail}, and the spool has no room`, extra);
    } else if (answer === 'failed') {
      countDrop(this.#c, 'spoolFailed', n);
      this.#diag.report('SPOOL_UNAVAILABLE', 'dropped', n, `${detail}, and the spool cannot write`, extra);
    } else {
      countDrop(this.#c, reason, n);
      this.#diag.report(name, 'dropped', n, detail, extra);
    }
  }

  #schedulePump(): void {
    if (this.#exporting || this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => void this.#pump());
  }

  #armTimer(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#pump();
    }, this.#o.flushIntervalMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Someone awaits the queue: flush() or shutdown(). */
  #draining(): boolean {
    return this.#waiters.length > 0 || this.#closed;
  }

  /** One export at a time: exports a first batch, then every full batch, or everything while draining. */
  async #pump(): Promise<void> {
    this.#pumpScheduled = false;
    if (this.#exporting) return;
    this.#exporting = true;
    this.#clearTimer();
    try {
      let once = true;
      while (this.#queue.size > 0 && (once || this.#queue.size >= this.#o.maxBatchSize || this.#draining())) {
        once = false;
        await this.#exportBatch(this.#queue.take(this.#o.maxBatchSize));
        this.#resolveWaiters();
      }
    } finally {
      this.#exporting = false;
      this.#resolveWaiters();
      if (this.#queue.size > 0) {
        if (this.#queue.size >= this.#o.maxBatchSize || this.#draining()) this.#schedulePump();
        else if (this.#timer === undefined && !this.#closed) this.#armTimer();
      }
    }
  }

  #resolveWaiters(): void {
    if (this.#waiters.length === 0) return;
    const done = this.#waiters.filter((w) => w.target <= this.#settled);
    if (done.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.target > this.#settled);
    for (const w of done) w.resolve();
  }

  async #exportBatch(items: Q[]): Promise<void> {
    this.#inFlight = items.length;
    let unsettled = items.length;
    try {
      const records = this.#prepareAll(items);
      this.#current = records;
      unsettled = records.length;
      if (records.length === 0) return;
      const sink = this.#o.overflow;
      if (sink?.backlogged?.() === true && sink.takeBehind !== undefined) {
        await this.#divert(sink, records);
        unsettled = 0;
        return;
      }
      const outcome = this.#sinkDown ? { ok: false as const, error: this.#sinkDown, retryable: true } : await this.#exportWithRetry(records);
      if (outcome.ok) this.#settleSuccess(records, outcome.rejected);
      else await this.#giveUp(records, outcome.error, outcome.retryable);
      unsettled = 0;
    } catch (err) {
      // Not expected (every step above reports its own failures); never lose records silently.
      countDrop(this.#c, 'internal', unsettled);
      this.#diag.report('EXPORT_FAILED', 'dropped', unsettled, `batch processor error: ${errorMessage(err)}`, { cause: err });
    } finally {
      this.#inFlight = 0;
      this.#current = [];
      this.#settled += items.length;
    }
  }

  #prepareAll(items: Q[]): AuditRecord[] {
    const records: AuditRecord[] = [];
    for (const item of items) {
      let r: ParseResult;
      try {
        r = this.#o.prepare(item);
      } catch (err) {
        r = { ok: false, error: new AuditrailError('RECORD_INVALID', `could not be read: ${errorMessage(err)}`, { cause: err }) };
      }
      if (r.ok) {
        records.push(r.record);
        continue;
      }
      this.#c.rejected++;
      const detail = r.error.issues.length > 0 ? r.error.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ') : r.error.message;
      this.#diag.report(errorName(r.error), 'rejected', 1, detail, { recordId: this.#o.idOf(item), issues: r.error.issues, cause: r.error });
    }
    return records;
  }

  #settleSuccess(records: AuditRecord[], rejected: readonly RejectedRecord[]): void {
    this.#c.batches++;
    this.#c.exported += records.length - rejected.length;
    this.#c.rejected += rejected.length;
    for (const r of rejected) {
      this.#diag.report('RECORD_INVALID', 'rejected', 1, `refused by ${this.#o.exporter.name}: ${r.code}: ${r.message}`, { recordId: r.id });
    }
  }

  async #giveUp(records: AuditRecord[], error: Error, retryable: boolean): Promise<void> {
    const n = records.length;
    const detail = `${this.#o.exporter.name}: ${error.message}`;
    const recordIds = records.slice(0, 10).map(recordId);
    if (this.#closed) this.#sinkDown ??= error;
    const sink = this.#o.overflow;
    const answer = sink === undefined ? false : await offerAsync(() => sink.takeFailed(records, error, retryable));
    if (answer === true) {
      this.#c.spooled += n;
      this.#diag.report('EXPORT_FAILED', 'spooled', n, detail, { recordIds, cause: error });
      return;
    }
    this.#dropRefused(answer, 'exportFailed', 'EXPORT_FAILED', n, detail, { recordIds, cause: error });
  }

  /** The sink holds a backlog: this batch goes behind it instead of to the exporter. */
  async #divert(sink: OverflowSink<Q>, records: AuditRecord[]): Promise<void> {
    const n = records.length;
    const answer = await offerAsync(() => sink.takeBehind!(records));
    const detail = `${this.#o.exporter.name}: not sent while the spool holds records to replay first`;
    if (answer === true) {
      this.#c.spooled += n;
      this.#diag.report('EXPORT_FAILED', 'spooled', n, detail, { recordIds: records.slice(0, 10).map(recordId) });
      return;
    }
    this.#dropRefused(answer, 'exportFailed', 'EXPORT_FAILED', n, detail, { recordIds: records.slice(0, 10).map(recordId) });
  }

  async #exportWithRetry(records: AuditRecord[]): Promise<BatchOutcome> {
    const { exportTimeoutMs, retry, exporter } = this.#o;
    const deadline = Date.now() + exportTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      const result = await this.#attempt(records, deadline - Date.now());
      if (result.code === 'success') return { ok: true, rejected: result.rejected ?? [] };
      this.#c.exportFailures++;
      if (result.code === 'failure') return { ok: false, error: result.error, retryable: false };
      const waitMs = backoffMs(retry, attempt, result.retryAfterMs);
      if (Date.now() + waitMs >= deadline) {
        const why = `gave up after ${attempt + 1} attempt(s) within exportTimeoutMs=${exportTimeoutMs}: ${result.error.message}`;
        return { ok: false, error: new AuditrailError('EXPORT_FAILED', why, { cause: result.error }), retryable: true };
      }
      // records already wait in the spool for the sink to come back: this batch joins them now
      if (this.#o.overflow?.backlogged?.() === true) {
        return { ok: false, error: new AuditrailError('EXPORT_FAILED', `spooled after ${attempt + 1} attempt(s), behind the spool's backlog: ${result.error.message}`, { cause: result.error }), retryable: true };
      }
      if (attempt === 0) this.#diag.report('EXPORT_FAILED', 'retrying', records.length, `${exporter.name}: ${result.error.message}`, { cause: result.error });
      this.#c.retries++;
      await sleep(waitMs, this.#draining());
    }
  }

  async #attempt(records: AuditRecord[], remainingMs: number): Promise<ExportResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<ExportResult>((resolve) => {
      const ms = Math.max(0, remainingMs);
      timer = setTimeout(() => resolve({ code: 'retryable', error: new AuditrailError('EXPORT_FAILED', `${this.#o.exporter.name}: no answer within ${ms} ms`) }), ms);
      if (!this.#draining()) timer.unref();
    });
    try {
      return await Promise.race([this.#callExporter(records), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exporters return results as values; one that throws is treated as retryable (nothing known to be stored). */
  async #callExporter(records: AuditRecord[]): Promise<ExportResult> {
    try {
      const r = await this.#o.exporter.export(records);
      if (r !== null && typeof r === 'object' && (r.code === 'success' || r.code === 'retryable' || r.code === 'failure')) return r;
      return { code: 'failure', error: new AuditrailError('EXPORT_FAILED', `${this.#o.exporter.name} returned ${String(r)}, not an ExportResult`) };
    } catch (err) {
      return { code: 'retryable', error: err instanceof Error ? err : new Error(errorMessage(err)) };
    }
  }
}

/** The catalogue name of an error, so that a diagnostic keeps its code (RECORD_TOO_DEEP, ...). */
function errorName(error: AuditrailError): ErrorName {
  for (const name of Object.keys(ERRORS) as ErrorName[]) if (ERRORS[name].code === error.code) return name;
  return 'RECORD_INVALID';
}

function offer(take: () => OverflowAnswer): OverflowAnswer {
  try {
    const answer = take();
    return answer === true || answer === 'full' || answer === 'failed' ? answer : false;
  } catch {
    return false;
  }
}

async function offerAsync(take: () => OverflowAnswer | Promise<OverflowAnswer>): Promise<OverflowAnswer> {
  try {
    const answer = await take();
    return answer === true || answer === 'full' || answer === 'failed' ? answer : false;
  } catch {
    return false;
  }
}

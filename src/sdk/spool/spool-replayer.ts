import { AuditrailError, errorMessage, isAuditrailError, parseRecord, type AuditRecord, type Exporter, type ExportResult } from '../../core/index.js';
import type { DiagnosticChannel } from '../diagnostics.js';
import type { StatsCounters } from '../stats.js';
import type { ResolvedSpoolOptions } from './spool-options.js';
import type { ReplayBatch, SpoolCut, SpoolStore } from './spool-store.js';

/** Payload bytes per replayed batch: well under the server's 10 MiB body limit. */
const MAX_REPLAY_BATCH_BYTES = 4 * 1024 * 1024;

export interface SpoolReplayerDeps {
  readonly options: ResolvedSpoolOptions;
  readonly store: SpoolStore;
  readonly exporter: Exporter;
  readonly maxBatchSize: number;
  readonly exportTimeoutMs: number;
  readonly counters: StatsCounters;
  readonly diagnostics: DiagnosticChannel;
  readonly reportCut: (cut: SpoolCut) => void;
}

/**
 * Sends the spool's backlog to the exporter, oldest first, one batch at a time, and commits the
 * replay position only after the sink confirmed the batch. While the sink is down it waits
 * (exponential backoff with full jitter up to replay.maxBackoffMs, or the sink's Retry-After)
 * and tries the same batch again, for as long as it takes: the spool is durable. A batch the
 * sink refuses for good is given up (counted, reported), except for a key problem (401/403),
 * which is kept until the key is fixed. Its timers are unref'd: a process with nothing else to
 * do may exit, and the next start replays what is left.
 */
export class SpoolReplayer {
  readonly #d: SpoolReplayerDeps;
  #running: Promise<void> | undefined;
  #stopping = false;
  #drainUntil = 0;
  /** Whether the last attempt reached the sink (a drain at stop() is tried only then). */
  #sinkUp = true;
  #wake: (() => void) | undefined;
  /** Resolved by stop() when the sink was not answering: an attempt in flight is not waited for. */
  #abandon: Promise<ExportResult>;
  #abandonNow: (r: ExportResult) => void = () => undefined;
  rejected = 0;
  dropped = 0;

  constructor(deps: SpoolReplayerDeps) {
    this.#d = deps;
    this.#abandon = new Promise((resolve) => (this.#abandonNow = resolve));
  }

  start(): void {
    this.#running ??= this.#loop().catch((err: unknown) => {
      this.#d.diagnostics.report('SPOOL_UNAVAILABLE', 'notice', 0, `replay stopped: ${errorMessage(err)}`, { cause: err });
    });
  }

  /** New records are on disk, or it is time to stop: end a wait. */
  wake(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  /** Stops; if the sink was answering, goes on replaying for at most drainMs first. */
  async stop(drainMs: number): Promise<void> {
    this.#stopping = true;
    this.#drainUntil = this.#sinkUp ? Date.now() + drainMs : 0;
    // an attempt still in flight against a sink that is down is left behind; if it lands after
    // all, its records are sent again next time and the server keeps one copy
    if (!this.#sinkUp) this.#abandonNow({ code: 'retryable', error: new AuditrailError('EXPORT_FAILED', 'replay: stopped') });
    this.wake();
    await this.#running;
  }

  async #loop(): Promise<void> {
    let failures = 0;
    /** The batch being delivered: kept across retries, so a sink that stays down costs no re-reading. */
    let current: { end: ReplayBatch['end']; frames: number; records: AuditRecord[]; invalid: number } | undefined;
    while (!this.#stopping || (this.#sinkUp && Date.now() < this.#drainUntil)) {
      const store = this.#d.store;
      if (current === undefined) {
        if (store.pendingRecords === 0) {
          if (this.#stopping) return;
          await this.#idle(undefined);
          continue;
        }
        let batch: ReplayBatch & { cut?: SpoolCut };
        try {
          batch = await store.read(this.#d.maxBatchSize, MAX_REPLAY_BATCH_BYTES);
        } catch (err) {
          this.#d.diagnostics.report('SPOOL_UNAVAILABLE', 'notice', 0, `read ${this.#d.options.directory}: ${errorMessage(err)}`, { cause: err });
          await this.#idle(this.#backoff(failures++));
          continue;
        }
        if (batch.cut) this.#d.reportCut(batch.cut);
        current = { end: batch.end, frames: batch.payloads.length, ...decode(batch.payloads) };
      }
      const { records, invalid, end, frames } = current;
      const result: ExportResult = records.length === 0 ? { code: 'success' } : await this.#export(records);
      if (this.#stopping && Date.now() >= this.#drainUntil && result.code !== 'success') return;
      if (result.code === 'success') {
        this.#sinkUp = true;
        failures = 0;
        current = undefined;
        // counted before the commit: they are delivered even if persisting the position fails
        this.#settle(records, invalid, result.rejected?.length ?? 0, result);
        await store.commit(end, frames);
        continue;
      }
      this.#sinkUp = false;
      if (result.code === 'failure' && !keptOnFailure(result.error)) {
        current = undefined;
        await store.commit(end, frames);
        this.dropped += frames;
        this.#d.diagnostics.report('EXPORT_FAILED', 'dropped', frames, `replay: ${this.#d.exporter.name} refused a spooled batch for good: ${result.error.message}`, { cause: result.error });
        continue;
      }
      if (failures === 0) this.#d.diagnostics.report('EXPORT_FAILED', 'retrying', store.pendingRecords, `replay: ${this.#d.exporter.name}: ${result.error.message}; the spool keeps the records and tries again`, { cause: result.error });
      const retryAfterMs = result.code === 'retryable' ? result.retryAfterMs : undefined;
      await this.#idle(retryAfterMs ?? (result.code === 'failure' ? this.#d.options.replay.maxBackoffMs : this.#backoff(failures)));
      failures++;
    }
  }

  #settle(records: readonly AuditRecord[], invalid: number, rejected: number, result: ExportResult): void {
    this.#d.counters.replayed += records.length - rejected;
    this.rejected += rejected + invalid;
    if (result.code === 'success') {
      for (const r of result.rejected ?? []) {
        this.#d.diagnostics.report('RECORD_INVALID', 'rejected', 1, `replay: refused by ${this.#d.exporter.name}: ${r.code}: ${r.message}`, { recordId: r.id });
      }
    }
    if (invalid > 0) this.#d.diagnostics.report('SPOOL_CORRUPT', 'rejected', invalid, 'replay: spooled frames that are not valid records were skipped');
  }

  /** Full jitter: uniform in [0, min(max, initial * 2^failures)]. */
  #backoff(failures: number): number {
    const { initialBackoffMs, maxBackoffMs } = this.#d.options.replay;
    return Math.round(Math.random() * Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(failures, 30)));
  }

  /** Waits for wake() (new records, stop) or `ms`, on an unref'd timer. */
  #idle(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      timer?.unref();
      this.#wake = done;
      function done(): void {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      }
    });
  }

  /** One attempt, bounded by exportTimeoutMs; an exporter that throws is treated as retryable. */
  async #export(records: readonly AuditRecord[]): Promise<ExportResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeoutMs = this.#d.exportTimeoutMs;
    const timeout = new Promise<ExportResult>((resolve) => {
      timer = setTimeout(() => resolve({ code: 'retryable', error: new AuditrailError('EXPORT_FAILED', `replay: no answer within ${timeoutMs} ms`) }), timeoutMs);
      timer.unref();
    });
    try {
      const attempt = this.#d.exporter.export(records).catch((err: unknown): ExportResult => ({ code: 'retryable', error: err instanceof Error ? err : new Error(errorMessage(err)) }));
      return await Promise.race([attempt, timeout, this.#abandon]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Replayed frames back to records (validated again: the storage exporter expects parsed records). */
function decode(payloads: readonly Buffer[]): { records: AuditRecord[]; invalid: number } {
  const records: AuditRecord[] = [];
  let invalid = 0;
  for (const p of payloads) {
    try {
      const r = parseRecord(JSON.parse(p.toString('utf8')));
      if (r.ok) records.push(r.record);
      else invalid++;
    } catch {
      invalid++;
    }
  }
  return { records, invalid };
}

function keptOnFailure(error: Error): boolean {
  return isAuditrailError(error, 'UNAUTHENTICATED') || isAuditrailError(error, 'SCOPE_MISSING');
}

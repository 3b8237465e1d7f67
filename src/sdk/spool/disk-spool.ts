import { AuditrailError, errorMessage, isAuditrailError, recordId, type AuditRecord, type Exporter, type ParseResult } from '../../core/index.js';
import type { DiagnosticChannel } from '../diagnostics.js';
import type { OverflowAnswer, OverflowSink } from '../overflow.js';
import { countDrop, type SpoolStats, type StatsCounters } from '../stats.js';
import { encodeTextFrame, FRAME_HEADER_BYTES, MAX_FRAME_PAYLOAD_BYTES } from './frame-codec.js';
import { SpoolReplayer } from './spool-replayer.js';
import type { ResolvedSpoolOptions } from './spool-options.js';
import { SpoolStore, type SpoolCut } from './spool-store.js';

export interface DiskSpoolDeps<Q> {
  readonly options: ResolvedSpoolOptions;
  /** Where replayed batches go (the logger's exporter). */
  readonly exporter: Exporter;
  /** Builds and validates a queued item (the batch processor's own step). */
  readonly prepare: (item: Q) => ParseResult;
  readonly idOf: (item: Q) => string;
  /** Records per replayed batch. */
  readonly maxBatchSize: number;
  /** Deadline of one replay attempt. */
  readonly exportTimeoutMs: number;
  readonly counters: StatsCounters;
  readonly diagnostics: DiagnosticChannel;
}

type Entry<Q> =
  | { readonly kind: 'queued'; readonly item: Q }
  | { readonly kind: 'batch'; readonly records: readonly AuditRecord[]; readonly answer: (a: OverflowAnswer) => void };

/** Failures for which a batch is kept until the key is fixed (docs/api.md: "keep (spool) the batch"). */
const KEEP_ON_FAILURE = ['UNAUTHENTICATED', 'SCOPE_MISSING'] as const;

/**
 * The disk spool, as the batch processor's overflow sink: what the sink cannot take now (the
 * queue is full, a batch failed past its deadline, or a backlog is already waiting) is written to
 * checksummed, fsynced segment files and replayed in order once the sink answers again.
 *
 * The record path only pushes onto a bounded in-memory buffer (takeQueued is O(1)); one writer
 * loop validates, serializes and appends what gathered, with one fsync per round. Batches handed
 * over by the processor are answered once they are on disk. A replayer sends the backlog oldest
 * first, one batch at a time, and moves the persisted position past a batch only when the sink
 * confirmed it: at-least-once, made exactly-once by the server's deduplication on record ids.
 */
export class DiskSpool<Q> implements OverflowSink<Q> {
  readonly #d: DiskSpoolDeps<Q>;
  readonly #opened: Promise<void>;
  #store: SpoolStore | undefined;
  #state: SpoolStats['state'] = 'opening';
  #buffer: Entry<Q>[] = [];
  #bufferedRecords = 0;
  #writer: Promise<void> | undefined;
  /** Frames of the append in flight (written again at exit: the append may not complete). */
  #writing: readonly Buffer[] = [];
  #replayer: SpoolReplayer | undefined;
  #closing: Promise<void> | undefined;

  constructor(deps: DiskSpoolDeps<Q>) {
    this.#d = deps;
    this.#opened = this.#open();
  }

  takeQueued(item: Q): OverflowAnswer {
    if (this.#state === 'failed' || this.#closing !== undefined) return 'failed';
    if (this.#bufferedRecords >= this.#d.options.maxBufferedRecords) return 'full';
    if (this.#store !== undefined && this.#store.freeBytes() === 0) return 'full';
    this.#buffer.push({ kind: 'queued', item });
    this.#bufferedRecords++;
    this.#kick();
    return true;
  }

  takeFailed(records: readonly AuditRecord[], error: Error, retryable: boolean): OverflowAnswer | Promise<OverflowAnswer> {
    // a batch refused for good would be refused again on replay, and block the records behind it
    if (!retryable && !KEEP_ON_FAILURE.some((name) => isAuditrailError(error, name))) return false;
    return this.#takeBatch(records);
  }

  backlogged(): boolean {
    if (this.#state === 'failed') return false;
    return this.#state === 'opening' || this.#bufferedRecords > 0 || this.#writer !== undefined || (this.#store?.pendingRecords ?? 0) > 0;
  }

  takeBehind(records: readonly AuditRecord[]): OverflowAnswer | Promise<OverflowAnswer> {
    return this.#takeBatch(records);
  }

  /**
   * The process is exiting: writes synchronously what the spool holds in memory (its buffer, its
   * append in flight) and then, in order and while they fit, the processor's batch in flight and
   * queue. Returns how many of the processor's records and items it kept. Batches handed over but
   * not yet answered are the processor's batch in flight: they come as `records`.
   */
  takeAtExit(records: readonly AuditRecord[], items: readonly Q[]): number {
    const store = this.#store;
    const own: Buffer[] = [...this.#writing];
    const ownQueued: string[] = [];
    for (const e of this.#buffer) {
      if (e.kind !== 'queued') continue;
      const frame = this.#encodeQueued(e.item);
      if (frame === undefined) continue;
      own.push(frame);
      ownQueued.push(this.#d.idOf(e.item));
    }
    this.#buffer = [];
    this.#bufferedRecords = 0;
    if (this.#state !== 'ready' || store === undefined || this.#closing !== undefined) {
      this.#lose('spoolFailed', ownQueued, 'the process exited before the spool could write these records');
      return 0;
    }
    let free = store.freeBytes() - own.reduce((n, f) => n + f.length, 0);
    const frames = own;
    let kept = 0;
    for (const r of records) {
      const frame = encodeRecords([r])?.[0];
      if (frame === undefined || frame.length > free) return this.#writeAtExit(store, frames, ownQueued, kept);
      free -= frame.length;
      frames.push(frame);
      kept++;
    }
    for (const item of items) {
      // an item that turns out invalid is kept (settled): #encodeQueued counts it as rejected instead
      this.#d.counters.spooled++;
      const frame = this.#encodeQueued(item);
      this.#d.counters.spooled--;
      if (frame !== undefined && frame.length > free) return this.#writeAtExit(store, frames, ownQueued, kept);
      if (frame !== undefined) {
        free -= frame.length;
        frames.push(frame);
      }
      kept++;
    }
    return this.#writeAtExit(store, frames, ownQueued, kept);
  }

  #writeAtExit(store: SpoolStore, frames: readonly Buffer[], ownQueued: readonly string[], kept: number): number {
    try {
      store.writeAtExitSync(frames);
      this.#state = 'closed';
      return kept;
    } catch (err) {
      this.#state = 'failed';
      this.#lose('spoolFailed', ownQueued, `the spool could not write at exit: ${errorMessage(err)}`);
      return 0;
    }
  }

  /** Resolves once everything taken so far is on disk. */
  async flush(): Promise<void> {
    await this.#opened;
    while (this.#writer !== undefined) await this.#writer;
  }

  /** Writes what is buffered, lets the replayer finish a drain in progress, closes the files. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.flush();
      await this.#replayer?.stop(this.#d.exportTimeoutMs);
      await this.#store?.close();
      if (this.#state !== 'failed') this.#state = 'closed';
    })();
    return this.#closing;
  }

  stats(): SpoolStats {
    const s = this.#store;
    return {
      state: this.#state,
      pendingRecords: s?.pendingRecords ?? 0,
      bufferedRecords: this.#bufferedRecords,
      bytes: s?.bytes ?? 0,
      maxBytes: this.#d.options.maxBytes,
      replayRejected: this.#replayer?.rejected ?? 0,
      replayDropped: this.#replayer?.dropped ?? 0,
    };
  }

  async #open(): Promise<void> {
    const o = this.#d.options;
    try {
      const { store, cuts } = await SpoolStore.open(o);
      this.#store = store;
      this.#state = 'ready';
      for (const cut of cuts) this.#reportCut(cut);
      this.#replayer = new SpoolReplayer({ ...this.#d, store, reportCut: (c) => this.#reportCut(c) });
      this.#replayer.start();
    } catch (err) {
      this.#state = 'failed';
      this.#d.diagnostics.report('SPOOL_UNAVAILABLE', 'notice', 0, `open ${o.directory}: ${errorMessage(err)}`, { cause: err });
      this.#failBuffer(err);
    }
    this.#kick();
  }

  #takeBatch(records: readonly AuditRecord[]): OverflowAnswer | Promise<OverflowAnswer> {
    if (this.#state === 'failed' || this.#closing !== undefined) return 'failed';
    return new Promise<OverflowAnswer>((answer) => {
      this.#buffer.push({ kind: 'batch', records, answer });
      this.#bufferedRecords += records.length;
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#writer !== undefined || this.#buffer.length === 0 || this.#state === 'opening') return;
    this.#writer = this.#writeLoop().finally(() => {
      this.#writer = undefined;
      this.#kick();
    });
  }

  async #writeLoop(): Promise<void> {
    while (this.#buffer.length > 0) {
      const entries = this.#buffer;
      this.#buffer = [];
      const taken = entries.reduce((n, e) => n + (e.kind === 'queued' ? 1 : e.records.length), 0);
      const store = this.#store;
      if (store === undefined) {
        this.#bufferedRecords -= taken;
        this.#failEntries(entries, new Error('the spool is not open'));
        continue;
      }
      const round = this.#encode(entries, store.freeBytes());
      try {
        this.#writing = round.frames;
        if (round.frames.length > 0) await store.append(round.frames);
        for (const [entry, answer] of round.answers) entry.answer(answer);
        this.#replayer?.wake();
      } catch (err) {
        this.#d.diagnostics.report('SPOOL_UNAVAILABLE', 'notice', 0, `write ${this.#d.options.directory}: ${errorMessage(err)}`, { cause: err });
        this.#lose('spoolFailed', round.queuedIds, `the spool could not write: ${errorMessage(err)}`);
        for (const [entry, answer] of round.answers) entry.answer(answer === true ? 'failed' : answer);
      } finally {
        this.#writing = [];
        this.#bufferedRecords -= taken;
      }
    }
  }

  /**
   * Validates queued items, serializes everything, and decides what fits under maxBytes: a
   * queued record on its own, a batch all or nothing (its answer says which).
   */
  #encode(entries: readonly Entry<Q>[], freeBytes: number): { frames: Buffer[]; queuedIds: string[]; answers: [Extract<Entry<Q>, { kind: 'batch' }>, OverflowAnswer][] } {
    const frames: Buffer[] = [];
    const queuedIds: string[] = [];
    const answers: [Extract<Entry<Q>, { kind: 'batch' }>, OverflowAnswer][] = [];
    const fullIds: string[] = [];
    const lateIds: string[] = [];
    let free = freeBytes;
    for (const entry of entries) {
      if (entry.kind === 'queued') {
        const frame = this.#encodeQueued(entry.item);
        if (frame === undefined) continue;
        if (frame.length > free) {
          fullIds.push(this.#d.idOf(entry.item));
          continue;
        }
        free -= frame.length;
        frames.push(frame);
        queuedIds.push(this.#d.idOf(entry.item));
        continue;
      }
      // a batch keeps what fits, in order; the processor counts it as spooled, the rest is moved to dropped here
      const batch = encodeRecords(entry.records);
      if (batch === undefined) {
        answers.push([entry, 'failed']);
        continue;
      }
      let kept = 0;
      for (let i = 0; i < batch.length; i++) {
        if (batch[i]!.length > free) {
          lateIds.push(recordId(entry.records[i]!));
          continue;
        }
        free -= batch[i]!.length;
        frames.push(batch[i]!);
        kept++;
      }
      if (kept === 0) lateIds.length -= batch.length;
      answers.push([entry, kept === 0 ? 'full' : true]);
    }
    this.#lose('spoolFull', [...fullIds, ...lateIds], `the spool holds maxBytes=${this.#d.options.maxBytes}`);
    return { frames, queuedIds, answers };
  }

  /** A queued record, validated here, off the caller's path; undefined when it was rejected. */
  #encodeQueued(item: Q): Buffer | undefined {
    const c = this.#d.counters;
    let r: ParseResult;
    try {
      r = this.#d.prepare(item);
    } catch (err) {
      r = { ok: false, error: new AuditrailError('RECORD_INVALID', `could not be read: ${errorMessage(err)}`, { cause: err }) };
    }
    if (r.ok) {
      const frames = encodeRecords([r.record]);
      if (frames !== undefined) return frames[0];
    }
    // counted as spooled when the queue handed it over; it is rejected instead
    c.spooled--;
    c.rejected++;
    const error = r.ok ? undefined : r.error;
    const detail = error === undefined ? 'could not be serialized' : error.issues.length > 0 ? error.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ') : error.message;
    this.#d.diagnostics.report('RECORD_INVALID', 'rejected', 1, detail, { recordId: this.#d.idOf(item), issues: error?.issues, cause: error });
    return undefined;
  }

  /** Queued records counted as spooled that the spool could not keep after all. */
  #lose(reason: 'spoolFull' | 'spoolFailed', ids: readonly string[], detail: string): void {
    if (ids.length === 0) return;
    const c = this.#d.counters;
    c.spooled -= ids.length;
    countDrop(c, reason, ids.length);
    this.#d.diagnostics.report(reason === 'spoolFull' ? 'SPOOL_FULL' : 'SPOOL_UNAVAILABLE', 'dropped', ids.length, detail, { recordIds: ids.slice(0, 10) });
  }

  #failBuffer(err: unknown): void {
    const entries = this.#buffer;
    this.#buffer = [];
    this.#bufferedRecords = 0;
    this.#failEntries(entries, err);
  }

  #failEntries(entries: readonly Entry<Q>[], err: unknown): void {
    const ids: string[] = [];
    for (const e of entries) {
      if (e.kind === 'queued') ids.push(this.#d.idOf(e.item));
      else e.answer('failed');
    }
    this.#lose('spoolFailed', ids, `the spool is unusable: ${errorMessage(err)}`);
  }

  #reportCut(cut: SpoolCut): void {
    const what = cut.problem === 'incomplete' ? 'an incomplete last frame (a write cut short by a crash)' : cut.problem === 'header' ? 'a segment without its header' : 'a frame that failed its checksum';
    this.#d.diagnostics.report('SPOOL_CORRUPT', 'notice', 0, `segment ${cut.segment}: cut off ${cut.bytes} bytes after ${what}`);
  }
}

/** One frame per record; undefined when a record cannot be serialized or is too large for a frame. */
function encodeRecords(records: readonly AuditRecord[]): Buffer[] | undefined {
  try {
    const frames: Buffer[] = [];
    for (const r of records) {
      const frame = encodeTextFrame(JSON.stringify(r));
      if (frame.length - FRAME_HEADER_BYTES > MAX_FRAME_PAYLOAD_BYTES) return undefined;
      frames.push(frame);
    }
    return frames;
  } catch {
    return undefined;
  }
}


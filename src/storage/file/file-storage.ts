import { mkdir } from 'node:fs/promises';
import type { AnalyticsQuery, AnalyticsRow } from '../../core/analytics.js';
import type { AuditEvent } from '../../core/audit-event.js';
import { AuditrailError } from '../../core/errors.js';
import type { Interaction } from '../../core/interaction.js';
import type { AuditQuery, Page } from '../../core/query.js';
import { recordId, type AuditRecord } from '../../core/record.js';
import { appendResult, type AppendOutcome, type AppendResult, type SessionSummary, type Storage } from '../../core/storage.js';
import type { FileStorageStats } from './diagnostics.js';
import { lockDirectory, type DirectoryLock } from './directory-lock.js';
import { parseFileStorageOptions, type FileStorageOptions, type ResolvedFileStorageOptions } from './options.js';
import { analyticsRows, countEvents, countInteractions, queryEventPage, queryInteractionPage, querySessionPage } from './read-queries.js';
import { recoverSegments } from './recover-segments.js';
import { findInSegment, type SegmentSnapshot } from './scan-records.js';
import { commitLine, recordLine } from './segment-format.js';
import { widen, type SegmentState } from './segment-state.js';
import { SegmentWriter } from './segment-writer.js';

/** The append-only file storage: a Storage plus its counters. */
export interface FileStorage extends Storage {
  readonly directory: string;
  stats(): FileStorageStats;
}

/**
 * Opens (or creates) an append-only JSONL store in `options.directory`: recovers an interrupted
 * tail, rebuilds the id index, then serves appends (one at a time, each batch atomic) and reads
 * (streaming scans of committed bytes, concurrent with appends). See src/storage/README.md.
 */
export async function createFileStorage(options: FileStorageOptions): Promise<FileStorage> {
  const opts = parseFileStorageOptions(options);
  await mkdir(opts.directory, { recursive: true });
  const lock = await lockDirectory(opts.directory);
  try {
    const recovered = await recoverSegments(opts.directory, opts.onDiagnostic);
    const storage = new FileSegmentStorage(opts, lock, recovered.segments, recovered.index, recovered.nextBatch, {
      discardedBytes: recovered.discardedBytes,
      discardedRecords: recovered.discardedRecords,
    });
    await storage.start();
    return storage;
  } catch (err) {
    await lock.release();
    throw err;
  }
}

class FileSegmentStorage implements FileStorage {
  readonly name = 'file';
  readonly directory: string;
  readonly #opts: ResolvedFileStorageOptions;
  readonly #lock: DirectoryLock;
  readonly #segments: SegmentState[];
  /** Record id -> segment sequence number: the idempotency index (see README for its memory). */
  readonly #index: Map<string, number>;
  #writer: SegmentWriter | undefined;
  #nextBatch: number;
  /** Appends, interval syncs and close run one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  readonly #counters: { removedSegments: number; removedRecords: number; discardedBytes: number; discardedRecords: number };

  constructor(
    opts: ResolvedFileStorageOptions,
    lock: DirectoryLock,
    segments: SegmentState[],
    index: Map<string, number>,
    nextBatch: number,
    recovered: { discardedBytes: number; discardedRecords: number },
  ) {
    this.#opts = opts;
    this.directory = opts.directory;
    this.#lock = lock;
    this.#segments = segments;
    this.#index = index;
    this.#nextBatch = nextBatch;
    this.#counters = { removedSegments: 0, removedRecords: 0, ...recovered };
  }

  async start(): Promise<void> {
    this.#writer = await SegmentWriter.open(this.#opts, this.#segments, (gone) => this.#forget(gone));
    if (this.#opts.fsync === 'interval') {
      this.#timer = setInterval(() => {
        // Failures are reported by the writer (fsync_failed) and fail later appends.
        this.#serialized(() => this.#writer!.syncIfDirty()).catch(() => undefined);
      }, this.#opts.fsyncIntervalMs);
      this.#timer.unref();
    }
  }

  append(records: readonly AuditRecord[]): Promise<AppendResult> {
    if (this.#closing) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    return this.#serialized(() => this.#appendNow(records));
  }

  async #appendNow(records: readonly AuditRecord[]): Promise<AppendResult> {
    const outcomes: AppendOutcome[] = [];
    const fresh = new Set<string>();
    const lines: string[] = [];
    const times: number[] = [];
    for (const record of records) {
      const id = recordId(record);
      const duplicate = this.#index.has(id) || fresh.has(id);
      outcomes.push({ id, status: duplicate ? 'duplicate' : 'accepted' });
      if (duplicate) continue;
      fresh.add(id);
      lines.push(recordLine(record));
      times.push(Date.parse(record.timestamp));
    }
    if (lines.length === 0) return appendResult(outcomes);
    const batch = this.#nextBatch;
    lines.push(commitLine(batch, fresh.size));
    // One buffer, one write: the batch lands whole or is cut off by recovery.
    const seg = await this.#writer!.write(Buffer.from(lines.join(''), 'utf8'));
    this.#nextBatch = batch + 1;
    for (const id of fresh) this.#index.set(id, seg.seq);
    for (const ms of times) widen(seg, ms);
    seg.records += fresh.size;
    return appendResult(outcomes);
  }

  queryEvents(query: AuditQuery): Promise<Page<AuditEvent>> {
    return this.#read((s) => queryEventPage(s, query));
  }

  countEvents(query: AuditQuery): Promise<number> {
    return this.#read((s) => countEvents(s, query));
  }

  queryInteractions(query: AuditQuery): Promise<Page<Interaction>> {
    return this.#read((s) => queryInteractionPage(s, query));
  }

  countInteractions(query: AuditQuery): Promise<number> {
    return this.#read((s) => countInteractions(s, query));
  }

  getEvent(eventId: string, orgId?: string): Promise<AuditEvent | undefined> {
    return this.#get(eventId, orgId).then((r) => (r?.kind === 'event' ? r : undefined));
  }

  getInteraction(interactionId: string, orgId?: string): Promise<Interaction | undefined> {
    return this.#get(interactionId, orgId).then((r) => (r?.kind === 'interaction' ? r : undefined));
  }

  querySessions(query: AuditQuery): Promise<Page<SessionSummary>> {
    return this.#read((s) => querySessionPage(s, query));
  }

  analytics(query: AnalyticsQuery): Promise<AnalyticsRow[]> {
    return this.#read((s) => analyticsRows(s, query));
  }

  stats(): FileStorageStats {
    let bytes = 0;
    for (const s of this.#segments) bytes += s.committedBytes;
    return { segments: this.#segments.length, bytes, records: this.#index.size, ...this.#counters };
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      try {
        await this.#serialized(() => this.#writer!.close());
      } finally {
        await this.#lock.release();
      }
    })();
    return this.#closing;
  }

  #get(id: string, orgId: string | undefined): Promise<AuditRecord | undefined> {
    return this.#read(async (segments) => {
      const seq = this.#index.get(id);
      const seg = seq === undefined ? undefined : segments.find((s) => s.seq === seq);
      const record = seg && (await findInSegment(seg, id));
      return record && (orgId === undefined || record.orgId === orgId) ? record : undefined;
    });
  }

  /** Runs a read on a snapshot of the committed segments; appends may run meanwhile. */
  #read<T>(fn: (segments: readonly SegmentSnapshot[]) => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    const snapshot = this.#segments.map((s) => ({ ...s }));
    return fn(snapshot);
  }

  #serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Retention removed a segment: its ids leave the index (they are no longer stored). */
  #forget(gone: SegmentState): void {
    for (const [id, seq] of this.#index) if (seq === gone.seq) this.#index.delete(id);
    this.#counters.removedSegments++;
    this.#counters.removedRecords += gone.records;
  }
}

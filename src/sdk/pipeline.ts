import { AuditrailError, errorMessage, parseRecord, uuidv7, type ParseResult, type Redactor, type Storage } from '../core/index.js';
import { BatchProcessor } from './batch-processor.js';
import { DiagnosticChannel } from './diagnostics.js';
import { registerExitFlush } from './exit-hooks.js';
import { findJsonHazard } from './json-safety.js';
import type { LoggerContext, ResolvedLoggerOptions } from './options.js';
import type { QueuedRecord, RecordBuilder } from './queued-record.js';
import { DiskSpool } from './spool/disk-spool.js';
import { countDrop, createCounters, type LoggerStats, type StatsCounters } from './stats.js';
import { createStorageExporter } from './storage-exporter.js';

/**
 * Builds, validates and redacts a queued record, off the record path. A record JSON cannot carry
 * is rejected on its own here, never at export. Redaction happens before the exporter and the
 * spool see the record; it fails closed (fields it cannot clean become a marker), and a redactor
 * that throws rejects the record rather than let it out in clear.
 */
function makePrepare(redactor: Redactor | false, diagnostics: DiagnosticChannel): (q: QueuedRecord) => ParseResult {
  return (q) => {
    const parsed = parseRecord(q.build(q));
    if (!parsed.ok) return parsed;
    const hazard = findJsonHazard(parsed.record);
    if (hazard !== undefined) return { ok: false, error: hazard };
    if (redactor === false) return parsed;
    try {
      if (redactor.redactWithReport === undefined) return { ok: true, record: redactor.redact(parsed.record) };
      const report = redactor.redactWithReport(parsed.record);
      if (report.failures.length > 0) {
        const fields = report.failures.map((f) => f.path).join(', ');
        diagnostics.report('REDACTION_FAILED', 'notice', 1, `record ${q.id}: ${fields} stored as the failure marker, never in clear`, { recordIds: [q.id] });
      }
      return { ok: true, record: report.record };
    } catch (err) {
      return { ok: false, error: new AuditrailError('REDACTION_FAILED', `the redactor threw; the record is not sent in clear: ${errorMessage(err)}`, { cause: err }) };
    }
  };
}

/**
 * What a logger and all its children (withContext) share: counters, diagnostics, the batch
 * processor and the exit hooks. The record path enters through enqueue()/rejectCheap()/internal().
 */
export class Pipeline {
  readonly #counters: StatsCounters = createCounters();
  readonly #diagnostics: DiagnosticChannel;
  readonly #processor: BatchProcessor<QueuedRecord>;
  readonly #spool: DiskSpool<QueuedRecord> | undefined;
  readonly #storage: Storage | undefined;
  readonly #exporterName: string;
  readonly #redactor: Redactor | undefined;
  #unregisterExit: (() => void) | undefined;
  #shutdown: Promise<void> | undefined;

  constructor(o: ResolvedLoggerOptions) {
    this.#diagnostics = new DiagnosticChannel(o.onDiagnostic);
    this.#storage = o.storage;
    const exporter = o.exporter ?? createStorageExporter(o.storage as Storage);
    this.#exporterName = exporter.name;
    const idOf = (q: QueuedRecord) => q.id;
    const prepare = makePrepare(o.redaction, this.#diagnostics);
    this.#redactor = o.redaction === false ? undefined : o.redaction;
    this.#spool =
      o.spool === undefined
        ? undefined
        : new DiskSpool<QueuedRecord>({ options: o.spool, exporter, prepare, idOf, maxBatchSize: o.maxBatchSize, exportTimeoutMs: o.exportTimeoutMs, counters: this.#counters, diagnostics: this.#diagnostics });
    this.#processor = new BatchProcessor<QueuedRecord>({
      exporter,
      prepare,
      idOf,
      maxBatchSize: o.maxBatchSize,
      flushIntervalMs: o.flushIntervalMs,
      maxQueueSize: o.maxQueueSize,
      exportTimeoutMs: o.exportTimeoutMs,
      retry: o.retry,
      diagnostics: this.#diagnostics,
      counters: this.#counters,
      overflow: this.#spool ?? o.overflow,
    });
    if (o.flushOnExit) {
      const p = this.#processor;
      this.#unregisterExit = registerExitFlush({ pending: () => p.pending, flush: () => this.flush(), dropAtExit: () => p.dropAtExit() });
    }
  }

  /** The record path after its cheap check: takes the time and the id, queues. O(1). */
  enqueue(input: Readonly<Record<string, unknown>>, context: LoggerContext, build: RecordBuilder, givenId: unknown): string {
    const timeMs = Date.now();
    const id = typeof givenId === 'string' && givenId !== '' ? givenId : uuidv7(timeMs);
    this.#counters.recorded++;
    this.#processor.enqueue({ input, id, timeMs, context, build });
    return id;
  }

  /** A record that failed the cheap check: counted as rejected, reported, never thrown. */
  rejectCheap(method: string, field: string, problem: string): undefined {
    this.#counters.recorded++;
    this.#counters.rejected++;
    this.#diagnostics.report('RECORD_INVALID', 'rejected', 1, `${method}(): ${field}: ${problem}`);
    return undefined;
  }

  /** Something threw on the record path (a getter, a proxy): counted as dropped, reported. */
  internal(method: string, err: unknown): undefined {
    this.#counters.recorded++;
    countDrop(this.#counters, 'internal', 1);
    this.#diagnostics.report('RECORD_INVALID', 'dropped', 1, `${method}(): the record could not be read: ${errorMessage(err)}`, { cause: err });
    return undefined;
  }

  /** Every record made before the call exported, rejected, dropped, or on disk in the spool. */
  async flush(): Promise<void> {
    await this.#processor.forceFlush();
    await this.#spool?.flush();
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#processor.shutdown().then(() => {
      this.#unregisterExit?.();
      this.#unregisterExit = undefined;
    });
    return this.#shutdown;
  }

  stats(): LoggerStats {
    const s = this.#processor.stats();
    const redactions = redactionCounts(this.#redactor);
    return { ...s, ...(this.#spool === undefined ? {} : { spool: this.#spool.stats() }), ...(redactions === undefined ? {} : { redactions }) };
  }

  /** Reads go to the storage the logger was built on. */
  read<T>(fn: (storage: Storage) => Promise<T>): Promise<T> {
    const storage = this.#storage;
    if (storage === undefined) return Promise.reject(new AuditrailError('READ_UNSUPPORTED', `the logger exports to ${this.#exporterName}`));
    try {
      return fn(storage);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(errorMessage(err)));
    }
  }
}

/** Replacements by detector so far, when the redactor keeps counts (never the values). */
function redactionCounts(r: Redactor | undefined): Readonly<Record<string, number>> | undefined {
  const stats = (r as { stats?: () => { redactions?: Readonly<Record<string, number>> } } | undefined)?.stats;
  return typeof stats === 'function' ? stats.call(r).redactions : undefined;
}

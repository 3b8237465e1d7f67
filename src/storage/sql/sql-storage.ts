import { setMaxListeners } from 'node:events';
import type { AnalyticsQuery, AnalyticsRow } from '../../core/analytics.js';
import type { AuditEvent } from '../../core/audit-event.js';
import { AuditrailError, errorMessage, isAuditrailError } from '../../core/errors.js';
import type { Interaction } from '../../core/interaction.js';
import type { AuditQuery, Page } from '../../core/query.js';
import type { AuditRecord } from '../../core/record.js';
import { appendResult, type AppendResult, type SessionSummary, type Storage } from '../../core/storage.js';
import { analytics } from './analytics-query.js';
import { classifyFailure } from './db-errors.js';
import { PartitionKeeper } from './partitions.js';
import type { ResolvedRetentionOptions } from './retention-options.js';
import { runRetention, type RetentionReport } from './retention-run.js';
import { nextCleanupAt } from './retention-schedule.js';
import * as reads from './read-queries.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { drainSearchPending } from './search-indexer.js';
import type { SqlDriver } from './sql-driver.js';
import type { SqlStorageDiagnostic } from './sql-storage-diagnostics.js';
import { batchDays, prepareBatch, writePrepared } from './write-batch.js';

export interface SqlStorageSettings {
  readonly name: string;
  readonly driver: SqlDriver;
  readonly writeRetry: RetryPolicy;
  readonly readRetry: RetryPolicy;
  /** Daily partitions kept ready ahead of today. */
  readonly partitionsAheadDays: number;
  /** How often the days ahead are ensured (and other upkeep runs). */
  readonly maintenanceIntervalMs: number;
  /** How often the search indexer moves pending interactions into the index; 0 = never (call flushSearchIndex()). */
  readonly searchIndexIntervalMs: number;
  readonly searchIndexBatchSize: number;
  /** seed-002 retention; absent = keep everything. */
  readonly retention?: ResolvedRetentionOptions;
  readonly onDiagnostic?: (d: SqlStorageDiagnostic) => void;
  /** The clock, for tests. */
  readonly now?: () => number;
}

/**
 * The Storage of both SQL backends (PostgreSQL and PGlite): one schema, one write path, one set
 * of queries, over a SqlDriver. A batch is one transaction: stored whole or not at all, retried
 * whole while the database is unreachable (within writeRetry.timeoutMs), idempotent on record ids.
 */
export class SqlStorage implements Storage {
  readonly name: string;
  readonly #s: SqlStorageSettings;
  readonly #partitions: PartitionKeeper;
  readonly #abort = new AbortController();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #timers: NodeJS.Timeout[] = [];
  #closing: Promise<void> | undefined;
  #indexing: Promise<number> | undefined;
  #maintaining: Promise<void> | undefined;
  #retaining: Promise<RetentionReport> | undefined;
  #retentionTimer: NodeJS.Timeout | undefined;

  constructor(settings: SqlStorageSettings) {
    // Every append waiting out a retry listens on this signal: there may be many.
    setMaxListeners(0, this.#abort.signal);
    this.#s = settings;
    this.name = settings.name;
    this.#partitions = new PartitionKeeper(settings.driver);
  }

  get driver(): SqlDriver {
    return this.#s.driver;
  }

  /** Ensures the partitions ahead and starts the background upkeep (timers do not keep the process alive). */
  async start(): Promise<void> {
    await this.maintain();
    const every = (ms: number, fn: () => Promise<unknown>) => {
      if (ms <= 0) return;
      const t = setInterval(() => void fn().catch(() => undefined), ms);
      t.unref();
      this.#timers.push(t);
    };
    every(this.#s.maintenanceIntervalMs, () => this.maintain());
    every(this.#s.searchIndexIntervalMs, () => this.flushSearchIndex());
    const r = this.#s.retention;
    if (r && r.autoCleanup && r.days > 0) this.#scheduleRetention(r.cleanupTime);
  }

  /** Runs retention at the next cleanupTime, then every day after (an unref'd timer). */
  #scheduleRetention(cleanupTime: string): void {
    if (this.#closing) return;
    const now = this.#now();
    this.#retentionTimer = setTimeout(() => {
      void this.runRetention()
        .catch(() => undefined)
        .finally(() => this.#scheduleRetention(cleanupTime));
    }, nextCleanupAt(now, cleanupTime) - now);
    this.#retentionTimer.unref();
  }

  /**
   * Archives and drops the expired days now (the scheduler calls it at cleanupTime). Rejects
   * with RETENTION_FAILED naming the day it could not finish; what was archived stays recorded,
   * and the next run goes on from there.
   */
  runRetention(): Promise<RetentionReport> {
    if (this.#closing) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    const options = this.#s.retention;
    if (!options) return Promise.resolve({ cutoff: new Date(this.#now()).toISOString(), days: [], skipped: false });
    this.#retaining ??= runRetention(
      {
        driver: this.#s.driver,
        options,
        append: (records) => this.append(records),
        forgetPartitions: (days) => this.#partitions.forget(days),
        onDiagnostic: (d) => this.#diagnose(d),
      },
      this.#now(),
    ).finally(() => {
      this.#retaining = undefined;
    });
    return this.#retaining;
  }

  append(records: readonly AuditRecord[]): Promise<AppendResult> {
    return this.#track(async () => {
      if (records.length === 0) return appendResult([]);
      const days = batchDays(records);
      try {
        const prepared = await prepareBatch(records);
        const outcomes = await withRetry(
          this.#s.writeRetry,
          async () => {
            await this.#partitions.ensure(days);
            try {
              return await this.#s.driver.transaction((tx) => writePrepared(tx, prepared));
            } catch (err) {
              if (classifyFailure(err) === 'missing-partition') this.#partitions.forget(days);
              throw err;
            }
          },
          (err) => !isAuditrailError(err) && classifyFailure(err) !== 'fatal',
          { signal: this.#abort.signal, onRetry: (attempt, delayMs, err) => this.#diagnose({ type: 'write-retry', attempt, delayMs, error: errorMessage(err) }) },
        );
        return appendResult(outcomes);
      } catch (err) {
        if (isAuditrailError(err)) throw err;
        throw new AuditrailError('STORAGE_WRITE_REJECTED', errorMessage(err), { cause: err });
      }
    });
  }

  queryEvents(query: AuditQuery): Promise<Page<AuditEvent>> {
    return this.#read(() => reads.queryEvents(this.#s.driver, query));
  }

  countEvents(query: AuditQuery): Promise<number> {
    return this.#read(() => reads.countEvents(this.#s.driver, query));
  }

  queryInteractions(query: AuditQuery): Promise<Page<Interaction>> {
    return this.#read(() => reads.queryInteractions(this.#s.driver, query));
  }

  countInteractions(query: AuditQuery): Promise<number> {
    return this.#read(() => reads.countInteractions(this.#s.driver, query));
  }

  getEvent(eventId: string, orgId?: string): Promise<AuditEvent | undefined> {
    return this.#read(() => reads.getEvent(this.#s.driver, eventId, orgId));
  }

  getInteraction(interactionId: string, orgId?: string): Promise<Interaction | undefined> {
    return this.#read(() => reads.getInteraction(this.#s.driver, interactionId, orgId));
  }

  querySessions(query: AuditQuery): Promise<Page<SessionSummary>> {
    return this.#read(() => reads.querySessions(this.#s.driver, query));
  }

  analytics(query: AnalyticsQuery): Promise<AnalyticsRow[]> {
    return this.#read(() => analytics(this.#s.driver, query));
  }

  /** Indexes every interaction waiting for search (the background indexer does it on its own); answers how many. */
  flushSearchIndex(): Promise<number> {
    if (this.#closing) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    this.#indexing ??= drainSearchPending(this.#s.driver, this.#s.searchIndexBatchSize)
      .catch((err: unknown) => {
        this.#diagnose({ type: 'search-index-failed', error: errorMessage(err) });
        throw err;
      })
      .finally(() => {
        this.#indexing = undefined;
      });
    return this.#indexing;
  }

  /** Creates the partitions of the days ahead (run at start and every maintenanceIntervalMs). */
  maintain(): Promise<void> {
    if (this.#closing) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    this.#maintaining ??= this.#partitions
      .ensureAhead(this.#now(), this.#s.partitionsAheadDays)
      .then(() => undefined)
      .catch((err: unknown) => {
        this.#diagnose({ type: 'maintenance-failed', error: errorMessage(err) });
        throw err;
      })
      .finally(() => {
        this.#maintaining = undefined;
      });
    return this.#maintaining;
  }

  /** Forgets the partitions it knows of (retention dropped some). */
  forgetPartitions(days?: readonly string[]): void {
    this.#partitions.forget(days);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const t of this.#timers) clearInterval(t);
      clearTimeout(this.#retentionTimer);
      this.#abort.abort();
      await Promise.allSettled([...this.#inflight, this.#indexing, this.#maintaining, this.#retaining]);
      await this.#s.driver.close();
    })();
    return this.#closing;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  #now(): number {
    return this.#s.now?.() ?? Date.now();
  }

  #diagnose(d: SqlStorageDiagnostic): void {
    try {
      this.#s.onDiagnostic?.(d);
    } catch {
      // a diagnostic hook never breaks the storage
    }
  }

  #track<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new AuditrailError('STORAGE_CLOSED'));
    const p = fn();
    this.#inflight.add(p);
    void p.then(
      () => this.#inflight.delete(p),
      () => this.#inflight.delete(p),
    );
    return p;
  }

  #read<T>(fn: () => Promise<T>): Promise<T> {
    return this.#track(async () => {
      try {
        return await withRetry(this.#s.readRetry, fn, (err) => !isAuditrailError(err) && classifyFailure(err) === 'retry', {
          signal: this.#abort.signal,
          onRetry: (attempt, delayMs, err) => this.#diagnose({ type: 'read-retry', attempt, delayMs, error: errorMessage(err) }),
        });
      } catch (err) {
        if (isAuditrailError(err)) throw err;
        throw new AuditrailError('STORAGE_UNAVAILABLE', `read failed: ${errorMessage(err)}`, { cause: err });
      }
    });
  }
}

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
import { serialized, type SqlDriver, type SqlExecutor } from './sql-driver.js';
import { encodeText } from './text-codec.js';
import { TENANT_ROLE_SQL } from './tenant-role.js';
import type { SqlStorageDiagnostic } from './sql-storage-diagnostics.js';
import { batchDays, prepareBatch, writePrepared } from './write-batch.js';
import type { ChainStore, ChainVerifyOptions } from '../../integrity/chain-store.js';
import type { CheckpointSink } from '../../integrity/checkpoint-sink.js';
import type { VerifyReport } from '../../integrity/verify/chain-verifier.js';
import { createPublicKeyring } from '../../integrity/keyring.js';
import { readChainOrgs, readCheckpoints } from './chain-reader.js';
import type { InclusionProof } from '../../integrity/inclusion-proof.js';
import { exportOrgChain, proveOrgRecord, verifyOrgChain } from './chain-queries.js';
import { ChainWriter, type ChainedBatch, type ChainSigning } from './chain-writer.js';
import { markAppended, pendingCheckpoints } from './checkpoint-rows.js';

export interface SqlStorageSettings {
  readonly name: string;
  readonly driver: SqlDriver;
  readonly writeRetry: RetryPolicy;
  readonly readRetry: RetryPolicy;
  /** Daily partitions kept ready ahead of today. */
  readonly partitionsAheadDays: number;
  /** false: no background upkeep at start or later (see SqlCommonOptionsShape.upkeep). */
  readonly upkeep: boolean;
  /** How often the days ahead are ensured (and other upkeep runs). */
  readonly maintenanceIntervalMs: number;
  /** How often the search indexer moves pending interactions into the index; 0 = never (call flushSearchIndex()). */
  readonly searchIndexIntervalMs: number;
  readonly searchIndexBatchSize: number;
  /** seed-002 retention; absent = keep everything. */
  readonly retention?: ResolvedRetentionOptions;
  readonly onDiagnostic?: (d: SqlStorageDiagnostic) => void;
  /** Checkpoints of the integrity chain; absent = records are chained, no checkpoint is signed. */
  readonly integrity?: SqlIntegritySettings;
  /** The clock, for tests. */
  readonly now?: () => number;
}

export interface SqlIntegritySettings {
  readonly signing: ChainSigning;
  /** The external checkpoint log every checkpoint is appended to after commit. */
  readonly sink?: CheckpointSink;
  /** The sink's file, read back by verify to detect a database restored to an older state. */
  readonly externalLogPath?: string;
  /** How often due checkpoints (old or idle periods) are cut without a new write; 0 = only on writes. */
  readonly checkpointTimerMs: number;
}

/**
 * The Storage of both SQL backends (PostgreSQL and PGlite): one schema, one write path, one set
 * of queries, over a SqlDriver. A batch is one transaction: stored whole or not at all, retried
 * whole while the database is unreachable (within writeRetry.timeoutMs), idempotent on record ids.
 */
export class SqlStorage implements Storage, ChainStore {
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
  readonly #chain: ChainWriter;
  /** Whether this connection may read as the database's reader role (row-level security, migration 0400). */
  #tenantRole = false;
  /** The external-log appends, one after the other (the log stays in cut order). */
  #publishing: Promise<void> = Promise.resolve();

  constructor(settings: SqlStorageSettings) {
    // Every append waiting out a retry listens on this signal: there may be many.
    setMaxListeners(0, this.#abort.signal);
    this.#s = settings;
    this.name = settings.name;
    this.#partitions = new PartitionKeeper(settings.driver);
    this.#chain = new ChainWriter(settings.integrity?.signing, (d) => this.#diagnose(d));
  }

  get driver(): SqlDriver {
    return this.#s.driver;
  }

  /** Ensures the partitions ahead and starts the background upkeep (timers do not keep the process alive). */
  async start(): Promise<void> {
    if (this.#s.upkeep) await this.maintain();
    const [role] = await this.#s.driver.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${TENANT_ROLE_SQL}) AND pg_has_role(current_user, ${TENANT_ROLE_SQL}, 'MEMBER') AS ok`,
    );
    this.#tenantRole = role?.ok === true;
    if (!this.#tenantRole) this.#diagnose({ type: 'tenant-role-unavailable', error: `${this.name}: this database's reader role (auditrail_reader_…) is missing or not granted to the connecting user; tenant reads rely on the query filter alone` });
    if (!this.#s.upkeep) return;
    const every = (ms: number, fn: () => Promise<unknown>) => {
      if (ms <= 0) return;
      const t = setInterval(() => void fn().catch(() => undefined), ms);
      t.unref();
      this.#timers.push(t);
    };
    every(this.#s.maintenanceIntervalMs, () => this.maintain());
    every(this.#s.searchIndexIntervalMs, () => this.flushSearchIndex());
    if (this.#s.integrity) {
      // checkpoints committed before a crash but not yet in the external log go there first
      this.#publishCheckpoints();
      await this.#publishing;
      every(this.#s.integrity.checkpointTimerMs, () => this.cutDueCheckpoints());
    }
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
        ...(this.#s.integrity ? { sealing: { keyring: this.#s.integrity.signing.keyring, publish: () => this.flushCheckpointLog(), external: this.#s.integrity.sink !== undefined } } : {}),
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
        let chained: ChainedBatch | undefined;
        const outcomes = await withRetry(
          this.#s.writeRetry,
          async () => {
            await this.#partitions.ensure(days);
            chained = undefined;
            try {
              return await this.#s.driver.transaction((tx) =>
                writePrepared(tx, prepared, async (ctx, items) => {
                  chained = await this.#chain.chain(ctx, items, this.#now());
                  return chained.entries;
                }),
              );
            } catch (err) {
              if (classifyFailure(err) === 'missing-partition') this.#partitions.forget(days);
              throw err;
            }
          },
          (err) => !isAuditrailError(err) && classifyFailure(err) !== 'fatal',
          { signal: this.#abort.signal, onRetry: (attempt, delayMs, err) => this.#diagnose({ type: 'write-retry', attempt, delayMs, error: errorMessage(err) }) },
        );
        if (chained) {
          this.#committed(chained);
          // a checkpoint cut by this batch reaches the external log before the batch is answered
          // (one append per checkpoint period), so a verify that follows finds it there
          if (chained.checkpoints.length > 0) await this.#publishing;
        }
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

  /** Whether reads through forOrg() run under row-level security (the reader role is usable). */
  get rowLevelSecurity(): boolean {
    return this.#tenantRole;
  }

  /**
   * A view of one org (the server's tenant reads): each read runs in its own transaction as the
   * non-owner reader role of this database (tenant-role.ts) with auditrail.org_id set, so PostgreSQL's row-level security
   * returns that org's rows only, whatever filter the caller passed (docs/storage.md). Appends go
   * to the storage as they are (the writer is the owner). Without the role (a database user that
   * may not create or be granted it) the view is the storage itself.
   */
  forOrg(orgId: string): Storage {
    if (!this.#tenantRole) return this;
    const read = <T>(fn: (db: SqlExecutor) => Promise<T>) =>
      this.#read(() =>
        this.#s.driver.transaction(async (tx) => {
          // SET LOCAL ROLE and the org in one round trip
          await tx.query(`SELECT set_config('role', ${TENANT_ROLE_SQL}, true), set_config('auditrail.org_id', $1, true)`, [encodeText(orgId)]);
          return fn(serialized(tx));
        }),
      );
    return {
      name: `${this.name}(org ${orgId})`,
      append: (records) => this.append(records),
      queryEvents: (q) => read((db) => reads.queryEvents(db, q)),
      countEvents: (q) => read((db) => reads.countEvents(db, q)),
      queryInteractions: (q) => read((db) => reads.queryInteractions(db, q)),
      countInteractions: (q) => read((db) => reads.countInteractions(db, q)),
      getEvent: (id, org) => read((db) => reads.getEvent(db, id, org)),
      getInteraction: (id, org) => read((db) => reads.getInteraction(db, id, org)),
      querySessions: (q) => read((db) => reads.querySessions(db, q)),
      analytics: (q) => read((db) => analytics(db, q)),
      close: () => Promise.resolve(),
    };
  }

  /** Cuts the checkpoints that are due with no new write (an old period, an idle head); the timer calls it. */
  async cutDueCheckpoints(): Promise<number> {
    if (!this.#s.integrity) return 0;
    const batch = await this.#track(() => this.#s.driver.transaction((tx) => this.#chain.cutDue(tx, this.#now()))).catch((err: unknown) => {
      this.#diagnose({ type: 'checkpoint-failed', error: errorMessage(err) });
      throw err;
    });
    this.#committed(batch);
    return batch.checkpoints.length;
  }

  /** Resolves once every checkpoint committed so far has been offered to the external log. */
  async flushCheckpointLog(): Promise<void> {
    this.#publishCheckpoints();
    await this.#publishing;
  }

  chainOrgs(): Promise<string[]> {
    return this.#read(() => readChainOrgs(this.#s.driver));
  }

  checkpoints(orgId: string): Promise<unknown[]> {
    return this.#read(() => readCheckpoints(this.#s.driver, orgId));
  }

  publicKeys(): { keyId: string; publicKey: string }[] {
    return this.#s.integrity?.signing.keyring.toJSON() ?? [];
  }

  verifyChain(orgId: string, options: ChainVerifyOptions = {}): Promise<VerifyReport> {
    const logPath = this.#s.integrity?.externalLogPath;
    return this.#track(() =>
      verifyOrgChain(this.#s.driver, orgId, {
        publicKeys: options.publicKeys ?? this.#s.integrity?.signing.keyring ?? createPublicKeyring([]),
        ...(logPath ? { externalLogPath: logPath } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.maxFindings !== undefined ? { maxFindings: options.maxFindings } : {}),
        stopped: () => this.#closing !== undefined || options.signal?.aborted === true,
      }),
    );
  }

  exportChain(orgId: string, write: (line: object) => Promise<void>, options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    return this.#track(() => exportOrgChain(this.#s.driver, orgId, write, () => this.#closing !== undefined || options.signal?.aborted === true));
  }

  /** An inclusion proof of one record (see proveOrgRecord). */
  proveRecord(orgId: string, id: string): Promise<InclusionProof> {
    return this.#read(() => proveOrgRecord(this.#s.driver, orgId, id));
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
      await this.#publishing;
      await this.#s.integrity?.sink?.close();
      await this.#s.driver.close();
    })();
    return this.#closing;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** After a commit: the chain's new states, then the new checkpoints to the external log. */
  #committed(batch: ChainedBatch): void {
    this.#chain.settle(batch);
    if (batch.checkpoints.length > 0) this.#publishCheckpoints();
  }

  /**
   * Appends the committed checkpoints that are not yet in the external log, oldest first, and
   * marks each once the sink has it. A failed append is retried on the next call (the next
   * checkpoint, the timer, a start); verify meanwhile says which are missing from the log.
   */
  #publishCheckpoints(): void {
    const { sink } = this.#s.integrity ?? {};
    if (!sink || this.#closing) return;
    const driver = this.#s.driver;
    this.#publishing = this.#publishing.then(async () => {
      try {
        for (const c of await pendingCheckpoints(driver)) {
          await sink.append(c);
          await markAppended(driver, c);
        }
      } catch (err) {
        this.#diagnose({ type: 'checkpoint-log-failed', error: errorMessage(err) });
      }
    });
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

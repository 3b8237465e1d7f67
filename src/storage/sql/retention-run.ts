import type { AuditEvent } from '../../core/audit-event.js';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import { uuidv7 } from '../../core/ids.js';
import type { AuditRecord } from '../../core/record.js';
import { join } from 'node:path';
import { LOCK_KEY, LOCKS } from './locks.js';
import { fileSha256, writeDayArchive, type DayArchive } from './retention-archive.js';
import { dropDay } from './retention-drop.js';
import { planRetention, writeSeals, type RetentionSealing } from './retention-seal.js';
import type { ResolvedRetentionOptions } from './retention-options.js';
import type { SqlDriver } from './sql-driver.js';
import type { SqlStorageDiagnostic } from './sql-storage-diagnostics.js';

const DAY_MS = 86_400_000;

export interface RetentionDayReport {
  readonly day: string;
  readonly archivePath: string;
  readonly sha256: string;
  readonly interactions: number;
  readonly events: number;
}

export interface RetentionReport {
  /** Days older than this instant are expired. */
  readonly cutoff: string;
  /** Days archived and dropped by this run, oldest first. */
  readonly days: readonly RetentionDayReport[];
  /** true when another process was running retention at the same time (this one did nothing). */
  readonly skipped: boolean;
}

export interface RetentionContext {
  readonly driver: SqlDriver;
  readonly options: ResolvedRetentionOptions;
  /** Records the run's audit events (the storage's own append). */
  append(records: readonly AuditRecord[]): Promise<unknown>;
  /** The partitions of these days are gone: the writer must not assume they exist. */
  forgetPartitions(days: readonly string[]): void;
  onDiagnostic?(d: SqlStorageDiagnostic): void;
  /** Seal the integrity chain before dropping (absent: the storage signs no checkpoints). */
  readonly sealing?: RetentionSealing;
  /** Test hook: a crash right after a day is archived, before it is dropped. */
  readonly afterArchived?: (day: string) => Promise<void> | void;
}

interface RunRow {
  state: 'archiving' | 'archived' | 'dropped';
  archive_path: string | null;
  sha256: string | null;
}

/**
 * One retention run: every day whose partitions are wholly older than `days` days (and every day
 * a crashed run left unfinished) is archived, checked, then dropped, oldest first. Each step is
 * recorded in retention_runs before the next begins, so a crash at any point leaves either the
 * day intact (redone next time) or its archive complete and verified (dropped next time). Each
 * dropped day, and a failure, is recorded as an audit event 'auditrail.retention' in the system
 * org. Two processes cannot run it at once (an advisory lock; PGlite has one process anyway).
 */
export async function runRetention(ctx: RetentionContext, nowMs: number): Promise<RetentionReport> {
  const cutoffMs = nowMs - ctx.options.days * DAY_MS;
  const cutoff = new Date(cutoffMs).toISOString();
  if (ctx.options.days === 0) return { cutoff, days: [], skipped: false };
  if (ctx.driver.kind === 'pglite') return { cutoff, days: await runDays(ctx, nowMs, cutoffMs), skipped: false };
  // The lock lives in a transaction of its own (one pooled connection) for the whole run.
  return ctx.driver.transaction(async (lock) => {
    const got = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [LOCK_KEY, LOCKS.retention]);
    if (!got[0]?.ok) return { cutoff, days: [], skipped: true };
    return { cutoff, days: await runDays(ctx, nowMs, cutoffMs), skipped: false };
  });
}

async function runDays(ctx: RetentionContext, nowMs: number, cutoffMs: number): Promise<RetentionDayReport[]> {
  const { driver } = ctx;
  const withPartitions = await driver.query<{ d: string }>("SELECT to_char(d, 'YYYY-MM-DD') AS d FROM auditrail_partition_days() AS d");
  const unfinished = await driver.query<{ d: string }>("SELECT to_char(day, 'YYYY-MM-DD') AS d FROM retention_runs WHERE state <> 'dropped'");
  const expired = new Set(withPartitions.map((r) => r.d).filter((d) => Date.parse(`${d}T00:00:00Z`) + DAY_MS <= cutoffMs));
  for (const r of unfinished) expired.add(r.d);
  const done: RetentionDayReport[] = [];
  const days = [...expired].sort();
  // which days can go without cutting a chain in the middle, and the seals verify will start from
  const plan = ctx.sealing ? await planRetention(driver, days) : undefined;
  let sealed = false;
  for (const day of days) {
    const started = Date.now();
    let archive: DayArchive | undefined;
    try {
      // a day kept back is not archived now: records may still arrive in it before it can go
      if (plan?.keptBack.includes(day)) {
        ctx.onDiagnostic?.({ type: 'retention-kept-back', day, reason: 'it holds records written after those of later days (late records): it goes once they expire too' });
        continue;
      }
      archive = await archiveDay(ctx, day, nowMs);
      await ctx.afterArchived?.(day);
      if (plan && ctx.sealing && !sealed) {
        await writeSeals(driver, plan, ctx.sealing, nowMs);
        sealed = true;
      }
      await dropDay(driver, day);
      ctx.forgetPartitions([day]);
    } catch (err) {
      ctx.onDiagnostic?.({ type: 'retention-failed', error: `${day}: ${errorMessage(err)}` });
      await record(ctx, nowMs, day, archive, Date.now() - started, err).catch(() => undefined);
      throw new AuditrailError('RETENTION_FAILED', `day ${day}: ${errorMessage(err)}`, { cause: err });
    }
    ctx.onDiagnostic?.({ type: 'retention-day', day, state: 'dropped', archivePath: archive.path, rows: archive.interactions + archive.events });
    await record(ctx, nowMs, day, archive, Date.now() - started, undefined);
    done.push({ day, archivePath: archive.path, sha256: archive.sha256, interactions: archive.interactions, events: archive.events });
  }
  return done;
}

/** Archives the day unless a verified archive of it exists; answers the archive. */
async function archiveDay(ctx: RetentionContext, day: string, nowMs: number): Promise<DayArchive> {
  const { driver, options } = ctx;
  const rows = await driver.query<RunRow & { row_counts: { interactions: number; events: number } | null }>(
    'SELECT state, archive_path, sha256, row_counts FROM retention_runs WHERE day = $1::date',
    [day],
  );
  const row = rows[0];
  if (row?.state === 'archived' && row.archive_path && row.sha256 && (await fileSha256(row.archive_path)) === row.sha256) {
    return { path: row.archive_path, sha256: row.sha256, interactions: row.row_counts?.interactions ?? 0, events: row.row_counts?.events ?? 0 };
  }
  // A new run of the day (or one whose archive went missing): a new file name, so that an
  // earlier archive of the same day (late records dropped later) is never overwritten.
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const path = row?.state === 'archiving' && row.archive_path ? row.archive_path : join(options.archiveDir, `auditrail-${day}-${stamp}.jsonl.gz`);
  await driver.query(
    `INSERT INTO retention_runs (day, state, archive_path) VALUES ($1::date, 'archiving', $2)
     ON CONFLICT (day) DO UPDATE SET state = 'archiving', archive_path = excluded.archive_path, sha256 = NULL, row_counts = NULL,
       started_at = now(), archived_at = NULL, dropped_at = NULL`,
    [day, path],
  );
  const archive = await writeDayArchive(driver, day, path);
  await driver.query(
    `UPDATE retention_runs SET state = 'archived', sha256 = $2, row_counts = $3::json, archived_at = now() WHERE day = $1::date`,
    [day, archive.sha256, JSON.stringify({ interactions: archive.interactions, events: archive.events })],
  );
  ctx.onDiagnostic?.({ type: 'retention-day', day, state: 'archived', archivePath: path, rows: archive.interactions + archive.events });
  return archive;
}

/** The run's own audit event: action_completed (or action_failed) of 'auditrail.retention'. */
async function record(ctx: RetentionContext, nowMs: number, day: string, archive: DayArchive | undefined, durationMs: number, err: unknown): Promise<void> {
  const at = Date.now();
  const event: AuditEvent = {
    kind: 'event',
    eventId: uuidv7(at),
    eventType: err === undefined ? 'action_completed' : 'action_failed',
    timestamp: new Date(at).toISOString(),
    orgId: ctx.options.systemOrgId,
    userId: 'auditrail',
    agentId: 'auditrail-retention',
    sessionId: `retention-${new Date(nowMs).toISOString().slice(0, 10)}`,
    actionId: `retention-${day}`,
    actionName: 'auditrail.retention',
    actionParams: {
      day,
      retentionDays: ctx.options.days,
      ...(archive ? { archive: archive.path, sha256: archive.sha256, interactions: archive.interactions, events: archive.events } : {}),
    },
    requiresApproval: false,
    success: err === undefined,
    durationMs,
    ...(err === undefined ? {} : { errorMessage: errorMessage(err) }),
    severity: err === undefined ? 'info' : 'error',
    metadata: {},
  };
  await ctx.append([event]);
}

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Interaction } from '../../core/interaction.js';
import { normalizeRecord } from '../../core/normalize.js';
import { recordId, type AuditRecord } from '../../core/record.js';
import type { AppendOutcome } from '../../core/storage.js';
import { EVENT_COLUMNS, INTERACTION_COLUMNS, METRIC_COLUMNS, SEARCH_PENDING_COLUMNS, THOUGHT_COLUMNS, TOOL_CALL_COLUMNS } from './columns.js';
import { assemblePayloads, eventLine, interactionLines, type CopyPayloads, type InteractionLines } from './copy-rows.js';
import { upsertSessions } from './session-upsert.js';
import type { SqlExecutor } from './sql-driver.js';
import { encodeText } from './text-codec.js';

const INSERT_IDS = `INSERT INTO record_ids (id, org_id, kind, created_at)
SELECT u.id, u.org_id, u.kind, u.created_at
FROM unnest($1::uuid[], $2::text[], $3::"char"[], $4::timestamptz[]) AS u(id, org_id, kind, created_at)
ORDER BY u.id
ON CONFLICT (id) DO NOTHING
RETURNING id`;

/** Records encoded to their COPY lines, ready to be written (and rewritten on a retry). */
export interface PreparedBatch {
  readonly records: readonly AuditRecord[];
  /** Lower-cased id -> index of its first occurrence in `records`. */
  readonly firstIndex: ReadonlyMap<string, number>;
  /** First occurrences, normalized, with their lines. */
  readonly unique: readonly { readonly record: AuditRecord; readonly lines: InteractionLines | string }[];
  /** The payloads of `unique`, assembled a slice at a time: used as they are when none is a duplicate. */
  readonly slices: readonly CopyPayloads[];
}

/**
 * Records encoded (and assembled) between two yields to the event loop: joining the lines of a
 * thousand interactions at once took 30-120 ms of one thread here, a stall a server would feel.
 */
const ENCODE_SLICE = 32;

/**
 * Normalizes, deduplicates within the batch and encodes the COPY lines, before any transaction
 * is open (so the transaction is short) and a slice at a time (so a server's event loop keeps
 * answering while a batch of thousands is encoded).
 */
export async function prepareBatch(records: readonly AuditRecord[]): Promise<PreparedBatch> {
  const firstIndex = new Map<string, number>();
  const unique: { record: AuditRecord; lines: InteractionLines | string }[] = [];
  const slices: CopyPayloads[] = [];
  let sliceStart = 0;
  const closeSlice = () => {
    slices.push(payloadsOf(unique.slice(sliceStart)));
    sliceStart = unique.length;
  };
  for (let i = 0; i < records.length; i++) {
    // uuid equality in PostgreSQL ignores case: so does the batch's own deduplication.
    const id = recordId(records[i]!).toLowerCase();
    if (firstIndex.has(id)) continue;
    firstIndex.set(id, i);
    const record = normalized(records[i]!);
    unique.push({ record, lines: record.kind === 'event' ? eventLine(record) : interactionLines(record) });
    if (unique.length - sliceStart === ENCODE_SLICE) {
      closeSlice();
      await yieldToLoop();
    }
  }
  if (unique.length > sliceStart) closeSlice();
  return { records, firstIndex, unique, slices };
}

function payloadsOf(entries: readonly { readonly lines: InteractionLines | string }[]): CopyPayloads {
  const ix: InteractionLines[] = [];
  const ev: string[] = [];
  for (const e of entries) {
    if (typeof e.lines === 'string') ev.push(e.lines);
    else ix.push(e.lines);
  }
  return assemblePayloads(ix, ev);
}

function concat(slices: readonly CopyPayloads[]): CopyPayloads {
  const join = (k: keyof CopyPayloads) => slices.map((s) => s[k]).join('');
  return { interactions: join('interactions'), thoughts: join('thoughts'), toolCalls: join('toolCalls'), metrics: join('metrics'), events: join('events'), searchPending: join('searchPending') };
}

/**
 * Writes a prepared batch inside the caller's transaction and answers one outcome per input record.
 *
 * Idempotency: every id is first inserted into record_ids with ON CONFLICT DO NOTHING; the ids
 * it returns are the records this batch stores, everything else is a duplicate (stored before,
 * by another writer at the same moment, or earlier in this batch). A concurrent writer inserting
 * the same id waits on the unique index until this transaction ends, so two writers can never
 * both store it. Ids are inserted in sorted order so that two batches lock them in the same order.
 * Then the new records go in by COPY (no per-row statements), and their sessions are upserted last
 * (row locks on hot sessions are held for the shortest time).
 */
export async function writePrepared(tx: SqlExecutor, b: PreparedBatch): Promise<AppendOutcome[]> {
  if (b.unique.length === 0) return [];
  const inserted = await tx.query<{ id: string }>(INSERT_IDS, [
    b.unique.map((u) => recordId(u.record)),
    b.unique.map((u) => encodeText(u.record.orgId)),
    b.unique.map((u) => (u.record.kind === 'event' ? 'e' : 'i')),
    b.unique.map((u) => u.record.timestamp),
  ]);
  const fresh = new Set(inserted.map((r) => r.id));
  const interactions: Interaction[] = [];
  const ixLines: InteractionLines[] = [];
  const evLines: string[] = [];
  for (const u of b.unique) {
    if (!fresh.has(recordId(u.record).toLowerCase())) continue;
    if (typeof u.lines === 'string') evLines.push(u.lines);
    else {
      interactions.push(u.record as Interaction);
      ixLines.push(u.lines);
    }
  }
  if (fresh.size > 0) {
    // Usually every record is new: the payloads assembled while preparing are the ones to write.
    const p = fresh.size === b.unique.length ? concat(b.slices) : assemblePayloads(ixLines, evLines);
    if (interactions.length > 0) {
      await tx.copyFrom('interactions', INTERACTION_COLUMNS, p.interactions);
      if (p.thoughts) await tx.copyFrom('thoughts', THOUGHT_COLUMNS, p.thoughts);
      if (p.toolCalls) await tx.copyFrom('tool_calls', TOOL_CALL_COLUMNS, p.toolCalls);
      if (p.metrics) await tx.copyFrom('performance_metrics', METRIC_COLUMNS, p.metrics);
      await tx.copyFrom('search_pending', SEARCH_PENDING_COLUMNS, p.searchPending);
    }
    if (evLines.length > 0) await tx.copyFrom('events', EVENT_COLUMNS, p.events);
    if (interactions.length > 0) await upsertSessions(tx, interactions);
  }
  const outcomes: AppendOutcome[] = [];
  for (let i = 0; i < b.records.length; i++) {
    const id = recordId(b.records[i]!);
    const key = id.toLowerCase();
    outcomes.push({ id, status: b.firstIndex.get(key) === i && fresh.has(key) ? 'accepted' : 'duplicate' });
  }
  return outcomes;
}

/** prepareBatch then writePrepared, in the caller's transaction. */
export async function writeBatch(tx: SqlExecutor, records: readonly AuditRecord[]): Promise<AppendOutcome[]> {
  return writePrepared(tx, await prepareBatch(records));
}

/** The UTC days (YYYY-MM-DD) a batch writes to: each needs its partitions. */
export function batchDays(records: readonly AuditRecord[]): string[] {
  const days = new Set<string>();
  for (const r of records) days.add(new Date(r.timestamp).toISOString().slice(0, 10));
  return [...days].sort();
}

const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** normalizeRecord, skipped when every timestamp is already UTC with milliseconds (the common case). */
function normalized(r: AuditRecord): AuditRecord {
  if (!CANONICAL.test(r.timestamp)) return normalizeRecord(r);
  if (r.kind === 'interaction') {
    for (const t of r.thoughts) if (t.timestamp && !CANONICAL.test(t.timestamp)) return normalizeRecord(r);
    for (const c of r.toolCalls) if (c.startedAt && !CANONICAL.test(c.startedAt)) return normalizeRecord(r);
  }
  return r;
}

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Interaction } from '../../core/interaction.js';
import { normalizeRecord } from '../../core/normalize.js';
import { recordId, type AuditRecord } from '../../core/record.js';
import type { AppendOutcome } from '../../core/storage.js';
import { EVENT_COLUMNS, INTERACTION_COLUMNS, METRIC_COLUMNS, SEARCH_PENDING_COLUMNS, THOUGHT_COLUMNS, TOOL_CALL_COLUMNS } from './columns.js';
import { assemblePayloads, eventLine, interactionLines, type CopyPayloads, type InteractionLines } from './copy-rows.js';
import { entryParts, type EntryParts } from '../../integrity/chain-encoding.js';
import type { ChainEntry } from '../../integrity/hash-chain.js';
import { toHex } from '../../integrity/hex.js';
import { upsertSessions } from './session-upsert.js';
import type { SqlExecutor } from './sql-driver.js';
import { encodeText } from './text-codec.js';

const INSERT_IDS = `INSERT INTO record_ids (id, org_id, kind, created_at)
SELECT u.id, u.org_id, u.kind, u.created_at
FROM unnest($1::uuid[], $2::text[], $3::"char"[], $4::timestamptz[]) AS u(id, org_id, kind, created_at)
ORDER BY u.id
ON CONFLICT (id) DO NOTHING
RETURNING id`;

/** A record ready to write: normalized, encoded to its COPY lines and to its chain entry's parts. */
export interface PreparedRecord {
  readonly record: AuditRecord;
  /** The row's own data (events: a string); the chain's seq and hash are appended at write time. */
  readonly lines: InteractionLines | string;
  /** Its canonical chain entry without the seq: the expensive part, done before the chain lock. */
  readonly parts: EntryParts;
}

/** Records encoded to their COPY lines, ready to be written (and rewritten on a retry). */
export interface PreparedBatch {
  readonly records: readonly AuditRecord[];
  /** Lower-cased id -> index of its first occurrence in `records`. */
  readonly firstIndex: ReadonlyMap<string, number>;
  /** First occurrences, in input order. */
  readonly unique: readonly PreparedRecord[];
  /** The child rows of `unique`, assembled a slice at a time: used as they are when none is a duplicate. */
  readonly slices: readonly ChildPayloads[];
}

/** The tables whose rows do not carry the chain: their COPY text can be assembled in advance. */
type ChildPayloads = Pick<CopyPayloads, 'thoughts' | 'toolCalls' | 'metrics' | 'searchPending'>;

/** Assigns the chain (seq, hash) of the new records, in the order given, inside the batch's transaction. */
export type ChainAssigner = (tx: SqlExecutor, items: readonly PreparedRecord[]) => Promise<readonly ChainEntry[]>;

/**
 * Records encoded (and assembled) between two yields to the event loop: joining the lines of a
 * thousand interactions at once took 30-120 ms of one thread here, a stall a server would feel.
 */
const ENCODE_SLICE = 32;

/**
 * Normalizes, deduplicates within the batch and encodes the COPY lines and chain entries, before
 * any transaction is open (so the transaction and the chain lock are short) and a slice at a time
 * (so a server's event loop keeps answering while a batch of thousands is encoded).
 */
export async function prepareBatch(records: readonly AuditRecord[]): Promise<PreparedBatch> {
  const firstIndex = new Map<string, number>();
  const unique: PreparedRecord[] = [];
  const slices: ChildPayloads[] = [];
  let sliceStart = 0;
  const closeSlice = () => {
    slices.push(childPayloads(unique.slice(sliceStart)));
    sliceStart = unique.length;
  };
  for (let i = 0; i < records.length; i++) {
    // uuid equality in PostgreSQL ignores case: so does the batch's own deduplication.
    const id = recordId(records[i]!).toLowerCase();
    if (firstIndex.has(id)) continue;
    firstIndex.set(id, i);
    const record = normalized(records[i]!);
    unique.push({ record, lines: record.kind === 'event' ? eventLine(record) : interactionLines(record), parts: entryParts(record.orgId, record) });
    if (unique.length - sliceStart === ENCODE_SLICE) {
      closeSlice();
      await yieldToLoop();
    }
  }
  if (unique.length > sliceStart) closeSlice();
  return { records, firstIndex, unique, slices };
}

function childPayloads(entries: readonly PreparedRecord[]): ChildPayloads {
  const ix: InteractionLines[] = [];
  for (const e of entries) if (typeof e.lines !== 'string') ix.push(e.lines);
  const { thoughts, toolCalls, metrics, searchPending } = assemblePayloads(ix, []);
  return { thoughts, toolCalls, metrics, searchPending };
}

function concat(slices: readonly ChildPayloads[]): ChildPayloads {
  const join = (k: keyof ChildPayloads) => slices.map((s) => s[k]).join('');
  return { thoughts: join('thoughts'), toolCalls: join('toolCalls'), metrics: join('metrics'), searchPending: join('searchPending') };
}

/** A row's COPY line with the chain's seq and hash (bytea in hex: `\\x…` escaped for COPY text). */
function chained(line: string, entry: ChainEntry): string {
  return `${line}\t${entry.seq}\t\\\\x${toHex(entry.hash)}\n`;
}

/**
 * Writes a prepared batch inside the caller's transaction and answers one outcome per input record.
 *
 * Idempotency: every id is first inserted into record_ids with ON CONFLICT DO NOTHING; the ids
 * it returns are the records this batch stores, everything else is a duplicate (stored before,
 * by another writer at the same moment, or earlier in this batch). A concurrent writer inserting
 * the same id waits on the unique index until this transaction ends, so two writers can never
 * both store it. Ids are inserted in sorted order so that two batches lock them in the same order.
 * Then the child rows go in by COPY (no per-row statements), the new records are chained (seq and
 * hash under each org's chain lock, `assignChain`) and their own rows follow, and their sessions
 * are upserted last (row locks on hot sessions are held for the shortest time). A duplicate is
 * never chained.
 */
export async function writePrepared(tx: SqlExecutor, b: PreparedBatch, assignChain: ChainAssigner): Promise<AppendOutcome[]> {
  if (b.unique.length === 0) return [];
  const inserted = await tx.query<{ id: string }>(INSERT_IDS, [
    b.unique.map((u) => recordId(u.record)),
    b.unique.map((u) => encodeText(u.record.orgId)),
    b.unique.map((u) => (u.record.kind === 'event' ? 'e' : 'i')),
    b.unique.map((u) => u.record.timestamp),
  ]);
  const fresh = new Set(inserted.map((r) => r.id));
  const toWrite = fresh.size === b.unique.length ? b.unique : b.unique.filter((u) => fresh.has(recordId(u.record).toLowerCase()));
  if (toWrite.length > 0) {
    const interactions = toWrite.filter((u) => typeof u.lines !== 'string').map((u) => u.record as Interaction);
    if (interactions.length > 0) {
      // The child rows carry no seq: they go in before the org's chain lock is taken, so that a
      // concurrent batch of the same org waits only for the rows that do. Usually every record is
      // new: the child rows assembled while preparing are the ones to write.
      const c = toWrite === b.unique ? concat(b.slices) : childPayloads(toWrite);
      if (c.thoughts) await tx.copyFrom('thoughts', THOUGHT_COLUMNS, c.thoughts);
      if (c.toolCalls) await tx.copyFrom('tool_calls', TOOL_CALL_COLUMNS, c.toolCalls);
      if (c.metrics) await tx.copyFrom('performance_metrics', METRIC_COLUMNS, c.metrics);
      await tx.copyFrom('search_pending', SEARCH_PENDING_COLUMNS, c.searchPending);
    }
    const entries = await assignChain(tx, toWrite);
    const ixRows: string[] = [];
    const evRows: string[] = [];
    toWrite.forEach((u, k) => {
      if (typeof u.lines === 'string') evRows.push(chained(u.lines, entries[k]!));
      else ixRows.push(chained(u.lines.interaction, entries[k]!));
    });
    if (ixRows.length > 0) await tx.copyFrom('interactions', INTERACTION_COLUMNS, ixRows.join(''));
    if (evRows.length > 0) await tx.copyFrom('events', EVENT_COLUMNS, evRows.join(''));
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

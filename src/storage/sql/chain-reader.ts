import type { AuditRecord } from '../../core/record.js';
import type { ChainHead } from '../../integrity/hash-chain.js';
import type { StoredChainRecord } from '../../integrity/verify/chain-verifier.js';
import { decodeEvent, EVENT_SELECT, INTERACTION_SELECT } from './row-decode.js';
import { withChildren } from './read-queries.js';
import type { SqlExecutor, SqlRow } from './sql-driver.js';
import { decodeText, encodeText } from './text-codec.js';

/** What verify needs besides the records: the org's head, checkpoints and unchained rows. */
export interface OrgChainFacts {
  /** The chain_heads row; null when the org has none. */
  readonly storedHead: ChainHead | null;
  /** Checkpoint bodies as stored (verify parses and checks each). */
  readonly checkpoints: readonly unknown[];
  readonly unchained: { readonly count: number; readonly recordIds: readonly string[] };
  /** Chained records of the org (for progress). */
  readonly records: number;
}

export async function readOrgChainFacts(db: SqlExecutor, orgId: string): Promise<OrgChainFacts> {
  const org = encodeText(orgId);
  const [heads, checkpoints, unchained, counts] = await Promise.all([
    db.query<{ seq: string | number; hash: Uint8Array }>('SELECT seq, hash FROM chain_heads WHERE org_id = $1', [org]),
    readCheckpoints(db, orgId),
    db.query<{ id: string }>(
      `SELECT event_id::text AS id FROM events WHERE org_id = $1 AND seq IS NULL
       UNION ALL SELECT interaction_id::text FROM interactions WHERE org_id = $1 AND seq IS NULL LIMIT 1001`,
      [org],
    ),
    db.query<{ n: string | number }>(
      `SELECT (SELECT count(*) FROM events WHERE org_id = $1 AND seq IS NOT NULL) + (SELECT count(*) FROM interactions WHERE org_id = $1 AND seq IS NOT NULL) AS n`,
      [org],
    ),
  ]);
  const head = heads[0];
  return {
    storedHead: head ? { seq: Number(head.seq), hash: head.hash } : null,
    checkpoints,
    unchained: { count: unchained.length, recordIds: unchained.slice(0, 1000).map((u) => u.id) },
    records: Number(counts[0]?.n ?? 0),
  };
}

/** The org's checkpoints, oldest first, exactly as signed. */
export async function readCheckpoints(db: SqlExecutor, orgId: string): Promise<unknown[]> {
  const rows = await db.query<{ body: string }>('SELECT body::text AS body FROM checkpoints WHERE org_id = $1 ORDER BY to_seq, cut_at', [encodeText(orgId)]);
  return rows.map((r) => JSON.parse(r.body) as unknown);
}

/** Every org that has a chain. */
export async function readChainOrgs(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ org_id: string }>('SELECT org_id FROM chain_heads ORDER BY org_id');
  return rows.map((r) => decodeText(r.org_id));
}

interface Cursor {
  seq: number;
  id: string;
}

/**
 * Streams an org's chained records in seq order from `fromSeq` on: events and interactions (with
 * their children) read in keyset pages of each table by (seq, id), merged by seq. Rows that share a
 * seq (a tampered table) all come out, so verify can name the conflict.
 */
export async function* chainRecords(db: SqlExecutor, orgId: string, fromSeq = 1, pageSize = 500): AsyncGenerator<StoredChainRecord> {
  const org = encodeText(orgId);
  const events = pages(pageSize, async (after) => {
    const rows = await db.query(
      `SELECT ${EVENT_SELECT}, e.seq, e.hash FROM events e
       WHERE e.org_id = $1 AND e.seq IS NOT NULL AND (e.seq, e.event_id::text) > ($2::bigint, $3::text)
       ORDER BY e.seq, e.event_id::text LIMIT $4`,
      [org, after.seq, after.id, pageSize],
    );
    return rows.map((r) => stored(r, decodeEvent(r), String(r.event_id)));
  });
  const interactions = pages(pageSize, async (after) => {
    const rows = await db.query(
      `SELECT ${INTERACTION_SELECT}, i.seq, i.hash FROM interactions i
       WHERE i.org_id = $1 AND i.seq IS NOT NULL AND (i.seq, i.interaction_id::text) > ($2::bigint, $3::text)
       ORDER BY i.seq, i.interaction_id::text LIMIT $4`,
      [org, after.seq, after.id, pageSize],
    );
    const records = await withChildren(db, rows);
    return rows.map((r, k) => stored(r, records[k]!, String(r.interaction_id)));
  });
  const start: Cursor = { seq: fromSeq, id: '' };
  let e = await events.next(start);
  let i = await interactions.next(start);
  while (e || i) {
    if (e && (!i || e.seq <= i.seq)) {
      yield e;
      e = await events.next();
    } else {
      yield i!;
      i = await interactions.next();
    }
  }
}

type Keyed = StoredChainRecord & { readonly id: string };

function stored(r: SqlRow, record: AuditRecord, id: string): Keyed {
  return { seq: Number(r.seq), hash: r.hash as Uint8Array, record, id };
}

/** One table's keyset pages as a cursor that hands out one row at a time. */
function pages(pageSize: number, load: (after: Cursor) => Promise<Keyed[]>) {
  let buffer: Keyed[] = [];
  let at = 0;
  let after: Cursor | undefined;
  let done = false;
  return {
    async next(start?: Cursor): Promise<Keyed | undefined> {
      if (start) after = start;
      if (at >= buffer.length) {
        if (done || !after) return undefined;
        buffer = await load(after);
        at = 0;
        if (buffer.length < pageSize) done = true;
        if (buffer.length === 0) return undefined;
        const last = buffer[buffer.length - 1]!;
        after = { seq: last.seq, id: last.id };
      }
      return buffer[at++];
    },
  };
}

/** Where one record of an org sits in its chain: its seq (null when unchained) and kind. */
export async function locateInChain(db: SqlExecutor, orgId: string, recordId: string): Promise<{ kind: 'event' | 'interaction'; seq: number | null } | undefined> {
  const rows = await db.query<{ kind: 'event' | 'interaction'; seq: string | null }>(
    `SELECT 'event' AS kind, seq::text AS seq FROM events WHERE org_id = $1 AND event_id = $2::uuid
     UNION ALL SELECT 'interaction', seq::text FROM interactions WHERE org_id = $1 AND interaction_id = $2::uuid LIMIT 1`,
    [encodeText(orgId), recordId],
  );
  const r = rows[0];
  return r ? { kind: r.kind, seq: r.seq === null ? null : Number(r.seq) } : undefined;
}

/** The periodic checkpoint whose period holds `seq` (the earliest cut, if several), as stored. */
export async function checkpointCovering(db: SqlExecutor, orgId: string, seq: number): Promise<unknown> {
  const rows = await db.query<{ body: string }>(
    `SELECT body::text AS body FROM checkpoints WHERE org_id = $1 AND kind = 'periodic' AND from_seq <= $2 AND to_seq >= $2 ORDER BY cut_at LIMIT 1`,
    [encodeText(orgId), seq],
  );
  return rows[0] ? (JSON.parse(rows[0].body) as unknown) : undefined;
}

/** The stored hashes of an org's records fromSeq..toSeq, in seq order (fewer when some are missing). */
export async function storedHashes(db: SqlExecutor, orgId: string, fromSeq: number, toSeq: number): Promise<Uint8Array[]> {
  const rows = await db.query<{ hash: Uint8Array }>(
    `SELECT hash FROM (
       SELECT seq, hash FROM events WHERE org_id = $1 AND seq BETWEEN $2 AND $3
       UNION ALL SELECT seq, hash FROM interactions WHERE org_id = $1 AND seq BETWEEN $2 AND $3
     ) x ORDER BY seq`,
    [encodeText(orgId), fromSeq, toSeq],
  );
  return rows.map((r) => r.hash);
}

import type { Checkpoint } from '../../integrity/checkpoint.js';
import type { SigningKeyring } from '../../integrity/keyring.js';
import { sealCheckpoint } from '../../integrity/org-chain.js';
import { planRetentionCut, type PartitionSeqRange, type RetentionCut } from '../../integrity/retention-cut.js';
import { AuditrailError } from '../../core/errors.js';
import { storedHashes } from './chain-reader.js';
import { insertCheckpointRow, sealsAppended } from './checkpoint-rows.js';
import type { SqlDriver } from './sql-driver.js';
import { decodeText, encodeText } from './text-codec.js';

/** Seals of the integrity chain for retention: signed, stored, and in the external log before a drop. */
export interface RetentionSealing {
  readonly keyring: SigningKeyring;
  /** Appends the committed checkpoints not yet in the external log (the storage's one publishing path). */
  publish(): Promise<void>;
  /** Whether there is an external log to reach before dropping. */
  readonly external: boolean;
}

const LIVE = '(kept)';

/**
 * Which of the expired days retention can drop without cutting an org's chain in the middle
 * (planRetentionCut): per org, the records of the expired days must be exactly its seqs after the
 * last seal up to some S, with every later record in a day that stays. A day holding a late
 * record (an old timestamp written after newer ones) is kept back until the days around it expire.
 */
export async function planRetention(driver: SqlDriver, days: readonly string[]): Promise<RetentionCut> {
  const ranges: PartitionSeqRange[] = [];
  for (const day of days) {
    const suffix = `_p${day.replace(/-/g, '')}`;
    const tables = [];
    for (const t of ['events', 'interactions']) {
      const r = await driver.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [t + suffix]);
      if (r[0]?.t) tables.push(`SELECT org_id, seq FROM ${t}${suffix} WHERE seq IS NOT NULL`);
    }
    if (tables.length === 0) continue;
    const rows = await driver.query<{ org_id: string; lo: string; hi: string }>(`SELECT org_id, min(seq)::text AS lo, max(seq)::text AS hi FROM (${tables.join(' UNION ALL ')}) x GROUP BY org_id`);
    for (const r of rows) ranges.push({ partition: day, orgId: decodeText(r.org_id), minSeq: Number(r.lo), maxSeq: Number(r.hi) });
  }
  const orgs = [...new Set(ranges.map((r) => r.orgId))];
  const heads: Record<string, number> = {};
  const sealedUpTo: Record<string, number> = {};
  const lastExpired = days.length > 0 ? `${[...days].sort().at(-1)!}T00:00:00Z` : undefined;
  for (const org of orgs) {
    const [head] = await driver.query<{ seq: string }>('SELECT seq::text AS seq FROM chain_heads WHERE org_id = $1', [encodeText(org)]);
    heads[org] = Number(head?.seq ?? 0);
    const [sealed] = await driver.query<{ s: string | null }>(`SELECT max(to_seq)::text AS s FROM checkpoints WHERE org_id = $1 AND kind = 'seal'`, [encodeText(org)]);
    if (sealed?.s) sealedUpTo[org] = Number(sealed.s);
    // the lowest seq of the org in the days that stay: nothing at or above it may be dropped
    const [kept] = await driver.query<{ lo: string | null }>(
      `SELECT min(seq)::text AS lo FROM (
         SELECT min(seq) AS seq FROM events WHERE org_id = $1 AND seq IS NOT NULL AND created_at >= $2::timestamptz + interval '1 day'
         UNION ALL SELECT min(seq) FROM interactions WHERE org_id = $1 AND seq IS NOT NULL AND created_at >= $2::timestamptz + interval '1 day'
       ) x`,
      [encodeText(org), lastExpired],
    );
    if (kept?.lo) ranges.push({ partition: LIVE, orgId: org, minSeq: Number(kept.lo), maxSeq: Number(kept.lo) });
  }
  return planRetentionCut({ expired: days, ranges, heads, sealedUpTo });
}

/**
 * Writes the seals of a retention cut: for each, the stored hashes of its records in seq order,
 * signed and inserted in the checkpoints table; then they are appended to the external log through
 * the storage's publishing, all before any partition is dropped (a failed append throws
 * CHECKPOINT_SINK_FAILED and nothing is dropped).
 */
export async function writeSeals(driver: SqlDriver, cut: RetentionCut, sealing: RetentionSealing, nowMs: number): Promise<Checkpoint[]> {
  const written: Checkpoint[] = [];
  for (const s of cut.seals) {
    written.push(
      await driver.transaction(async (tx) => {
        const hashes = await storedHashes(tx, s.orgId, s.fromSeq, s.toSeq);
        const seal = sealCheckpoint({ orgId: s.orgId, fromSeq: s.fromSeq, recordHashes: hashes }, sealing.keyring, nowMs);
        await insertCheckpointRow(tx, seal);
        return seal;
      }),
    );
  }
  if (sealing.external) {
    await sealing.publish();
    if (!(await sealsAppended(driver, written))) {
      throw new AuditrailError('CHECKPOINT_SINK_FAILED', 'the retention seals could not be appended to the external checkpoint log: nothing was dropped; the next run tries again');
    }
  }
  return written;
}

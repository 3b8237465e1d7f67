import type { Checkpoint } from '../../integrity/checkpoint.js';
import type { SqlExecutor } from './sql-driver.js';
import { encodeText } from './text-codec.js';

/** Stores a signed checkpoint exactly as signed; the external log gets it after commit (publishPendingCheckpoints). */
export async function insertCheckpointRow(tx: SqlExecutor, c: Checkpoint): Promise<void> {
  await tx.query('INSERT INTO checkpoints (org_id, kind, from_seq, to_seq, cut_at, body) VALUES ($1, $2, $3, $4, $5, $6::json)', [
    encodeText(c.orgId),
    c.kind,
    c.fromSeq,
    c.toSeq,
    c.time,
    JSON.stringify(c),
  ]);
}

/** The committed checkpoints not yet in the external log, oldest first. */
export async function pendingCheckpoints(db: SqlExecutor): Promise<Checkpoint[]> {
  const rows = await db.query<{ body: string }>('SELECT body::text AS body FROM checkpoints WHERE NOT external_appended ORDER BY cut_at, org_id, to_seq');
  return rows.map((r) => JSON.parse(r.body) as Checkpoint);
}

export async function markAppended(db: SqlExecutor, c: Checkpoint): Promise<void> {
  await db.query('UPDATE checkpoints SET external_appended = true WHERE org_id = $1 AND kind = $2 AND to_seq = $3 AND cut_at = $4::timestamptz', [encodeText(c.orgId), c.kind, c.toSeq, c.time]);
}

/** Whether every seal of these was appended to the external log. */
export async function sealsAppended(db: SqlExecutor, seals: readonly Checkpoint[]): Promise<boolean> {
  for (const c of seals) {
    const rows = await db.query<{ ok: boolean }>('SELECT external_appended AS ok FROM checkpoints WHERE org_id = $1 AND kind = $2 AND to_seq = $3 AND cut_at = $4::timestamptz', [encodeText(c.orgId), c.kind, c.toSeq, c.time]);
    if (rows[0]?.ok !== true) return false;
  }
  return true;
}

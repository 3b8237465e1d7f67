import type { KeyPosition, KeyStore, NewDataKey, StoredDataKey } from './key-store.js';

/**
 * What the SQL key store needs of a database connection: one parameterized statement at a time.
 * The storage's SqlDriver (PostgreSQL or PGlite) has this shape; so does a small adapter over a
 * pg.Pool (`{ query: async (text, params) => (await pool.query(text, params)).rows }`).
 */
export interface SqlQueryable {
  query<R extends object>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

interface KeyRow {
  org_id: string;
  version: number;
  kek_id: string | null;
  wrapped_key: string | null;
  created_at: Date | string;
  destroyed_at: Date | string | null;
}

const COLUMNS = 'org_id, version, kek_id, wrapped_key, created_at, destroyed_at';

/** Wrapped data keys in the `encryption_keys` table (src/storage/sql/migrations/0200_encryption_keys.sql). */
export function createSqlKeyStore(db: SqlQueryable): KeyStore {
  return {
    name: 'sql',
    async list(orgId) {
      const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM encryption_keys WHERE org_id = $1 ORDER BY version`, [orgId]);
      return rows.map(fromRow);
    },
    async insert(key: NewDataKey) {
      const rows = await db.query<{ version: number }>(
        'INSERT INTO encryption_keys (org_id, version, kek_id, wrapped_key) VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, version) DO NOTHING RETURNING version',
        [key.orgId, key.version, key.kekId, key.wrappedKey],
      );
      return rows.length === 1;
    },
    async rewrap(orgId, version, expectedKekId, next) {
      const rows = await db.query<{ version: number }>(
        'UPDATE encryption_keys SET kek_id = $4, wrapped_key = $5, rewrapped_at = now() WHERE org_id = $1 AND version = $2 AND kek_id = $3 AND destroyed_at IS NULL RETURNING version',
        [orgId, version, expectedKekId, next.kekId, next.wrappedKey],
      );
      return rows.length === 1;
    },
    async destroy(orgId, version) {
      const rows = await db.query<{ version: number }>(
        'UPDATE encryption_keys SET kek_id = NULL, wrapped_key = NULL, destroyed_at = now() WHERE org_id = $1 AND version = $2 AND destroyed_at IS NULL RETURNING version',
        [orgId, version],
      );
      return rows.length === 1;
    },
    async page(after: KeyPosition | null, limit: number) {
      const rows =
        after === null
          ? await db.query<KeyRow>(`SELECT ${COLUMNS} FROM encryption_keys WHERE destroyed_at IS NULL ORDER BY org_id, version LIMIT $1`, [limit])
          : await db.query<KeyRow>(
              `SELECT ${COLUMNS} FROM encryption_keys WHERE destroyed_at IS NULL AND (org_id, version) > ($1, $2) ORDER BY org_id, version LIMIT $3`,
              [after.orgId, after.version, limit],
            );
      return rows.map(fromRow);
    },
  };
}

function iso(v: Date | string): string {
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

function fromRow(r: KeyRow): StoredDataKey {
  return Object.freeze({
    orgId: r.org_id,
    version: Number(r.version),
    kekId: r.kek_id,
    wrappedKey: r.wrapped_key,
    createdAt: iso(r.created_at),
    destroyedAt: r.destroyed_at === null ? null : iso(r.destroyed_at),
  });
}

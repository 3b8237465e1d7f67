import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import { LOCK_KEY, LOCKS } from './locks.js';
import type { SqlDriver } from './sql-driver.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file: an applied migration whose file changed afterwards is refused. */
  readonly checksum: string;
}

export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was already current). */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migrations shipped with this version of auditrail (src/storage/sql/migrations), in order. */
export async function loadMigrations(): Promise<Migration[]> {
  const dir = fileURLToPath(MIGRATIONS_DIR);
  const files = (await readdir(dir)).filter((f) => FILE_RE.test(f)).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const [, version, name] = FILE_RE.exec(file)!;
    const sql = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8');
    out.push({ version: Number(version), name: name!, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Brings the schema to the latest version: each pending migration runs in its own transaction
 * under a transaction-scoped advisory lock, and is recorded in schema_migrations in that same
 * transaction. Safe to run twice (nothing to do) and from two processes at once (the second
 * waits for the lock, then finds the migration applied). `auditrail migrate` and every storage
 * start call it.
 */
export async function migrate(driver: SqlDriver, migrations?: readonly Migration[]): Promise<MigrateResult> {
  const all = migrations ?? (await loadMigrations());
  const applied: number[] = [];
  for (const m of all) {
    const done = await driver.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_KEY, LOCKS.migrations]);
      await tx.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const rows = await tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations WHERE version = $1', [m.version]);
      const row = rows[0];
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new AuditrailError('STORAGE_MIGRATION_FAILED', `migration ${m.version} (${m.name}) was applied from a different file (checksum ${row.checksum.slice(0, 12)} in the database, ${m.checksum.slice(0, 12)} shipped)`);
        }
        return false;
      }
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new AuditrailError('STORAGE_MIGRATION_FAILED', `migration ${m.version} (${m.name}): ${errorMessage(err)}`, { cause: err });
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  const latest = await driver.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  const version = latest[0]?.v ?? 0;
  const shipped = all.length === 0 ? 0 : all[all.length - 1]!.version;
  if (version > shipped) {
    throw new AuditrailError('STORAGE_MIGRATION_FAILED', `the database schema is at version ${version}, newer than this auditrail knows (${shipped}); upgrade auditrail`);
  }
  return { applied, version };
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../../core/index.js';
import { loadMigrations, migrate } from '../sql/migrate.js';
import { createPgDriver } from './pg-driver.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.drop();
});

const driver = () => createPgDriver({ connectionString: db.connectionString, maxConnections: 2, idleTimeoutMs: 1_000, connectionTimeoutMs: 5_000 });

describe('migrations', () => {
  it('applies every migration once, records it, and finds nothing to do the second time', async () => {
    const d = driver();
    try {
      const shipped = await loadMigrations();
      const first = await migrate(d);
      expect(first.applied).toEqual(shipped.map((m) => m.version));
      expect(first.version).toBe(shipped[shipped.length - 1]!.version);
      const second = await migrate(d);
      expect(second).toEqual({ applied: [], version: first.version });
      const rows = await d.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(shipped.map((m) => m.version));
    } finally {
      await d.close();
    }
  });

  it('is safe when several processes migrate the same empty database at once', async () => {
    const drivers = [driver(), driver(), driver()];
    try {
      const results = await Promise.all(drivers.map((d) => migrate(d)));
      const applied = results.flatMap((r) => r.applied).sort((a, b) => a - b);
      const shipped = (await loadMigrations()).map((m) => m.version);
      expect(applied, 'each migration applied by exactly one of them').toEqual(shipped);
      expect(new Set(results.map((r) => r.version)).size).toBe(1);
    } finally {
      await Promise.all(drivers.map((d) => d.close()));
    }
  });

  it('refuses a database where an applied migration differs from the shipped file', async () => {
    const d = driver();
    try {
      await migrate(d);
      await d.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
      const err = await migrate(d).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAuditrailError(err, 'STORAGE_MIGRATION_FAILED')).toBe(true);
    } finally {
      await d.close();
    }
  });

  it('rolls a failing migration back whole and reports it', async () => {
    const d = driver();
    try {
      const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();', checksum: 'x' }];
      const err = await migrate(d, broken).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAuditrailError(err, 'STORAGE_MIGRATION_FAILED')).toBe(true);
      // The whole transaction is gone: the half-made table and even the bookkeeping table.
      const left = await d.query<{ t: string | null; m: string | null }>("SELECT to_regclass('half_done')::text AS t, to_regclass('schema_migrations')::text AS m");
      expect(left[0]).toEqual({ t: null, m: null });
    } finally {
      await d.close();
    }
  });
});

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDirectory } from '../file/directory-lock.js';
import { migrate } from '../sql/migrate.js';
import type { SqlDriver } from '../sql/sql-driver.js';
import { integritySettings } from '../sql/integrity-options.js';
import { SqlStorage } from '../sql/sql-storage.js';
import { openPglite } from './open-pglite.js';
import { parsePgliteStorageOptions, type PgliteStorageOptions } from './options.js';
import { createPgliteDriver } from './pglite-driver.js';
import { createWorkerPgliteDriver } from './worker-driver.js';

/** The embedded storage: the PostgreSQL schema and queries on PGlite, in a local folder. */
export type PgliteStorage = SqlStorage;

/**
 * Opens the embedded storage in `dataDir` (created when missing): the zero-setup default when no
 * database URL is configured. One process per folder (a LOCK file: PGlite has no lock of its own
 * and two processes on one cluster corrupt it). Migrations, partitions and upkeep as with
 * PostgreSQL.
 */
export async function createPgliteStorage(options: PgliteStorageOptions): Promise<PgliteStorage> {
  const o = parsePgliteStorageOptions(options);
  await mkdir(o.dataDir, { recursive: true });
  const lock = await lockDirectory(o.dataDir);
  const init = { pgdataDir: join(o.dataDir, 'pgdata'), durable: o.durable };
  let driver: SqlDriver | undefined;
  try {
    const inner = o.worker ? await createWorkerPgliteDriver(init) : await openPglite(init).then((db) => createPgliteDriver(db));
    const release = () => inner.close().finally(() => lock.release());
    driver = { ...inner, close: release };
    if (o.migrate) await migrate(driver);
    const storage = new SqlStorage({
      name: 'pglite',
      driver,
      writeRetry: o.writeRetry,
      readRetry: o.readRetry,
      partitionsAheadDays: o.partitionsAheadDays,
      maintenanceIntervalMs: o.maintenanceIntervalMs,
      upkeep: o.upkeep,
      searchIndexIntervalMs: o.searchIndexIntervalMs,
      searchIndexBatchSize: o.searchIndexBatchSize,
      ...(o.retention ? { retention: o.retention } : {}),
      ...(o.integrity ? { integrity: integritySettings(o.integrity) } : {}),
      ...(o.onDiagnostic ? { onDiagnostic: o.onDiagnostic } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
    await storage.start();
    return storage;
  } catch (err) {
    if (driver) await driver.close().catch(() => undefined);
    else await lock.release();
    throw err;
  }
}

import { errorMessage } from '../../core/errors.js';
import { migrate, type MigrateResult } from '../sql/migrate.js';
import { integritySettings } from '../sql/integrity-options.js';
import { SqlStorage } from '../sql/sql-storage.js';
import { parsePostgresStorageOptions, type PostgresStorageOptions, type ResolvedPostgresStorageOptions } from './options.js';
import { createPgDriver } from './pg-driver.js';

/** The PostgreSQL storage: Storage plus flushSearchIndex(), maintain() and retention. */
export type PostgresStorage = SqlStorage;

function driverFor(o: ResolvedPostgresStorageOptions) {
  return createPgDriver({
    connectionString: o.connectionString,
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    maxConnections: o.maxConnections,
    idleTimeoutMs: o.idleTimeoutMs,
    connectionTimeoutMs: o.connectionTimeoutMs,
    onIdleError: (err) => o.onDiagnostic?.({ type: 'connection-lost', error: errorMessage(err) }),
  });
}

/**
 * Opens the PostgreSQL storage: validates the options (OPTIONS_INVALID lists every problem),
 * applies pending migrations (unless `migrate: false`), creates the partitions of the days ahead
 * and starts the background upkeep (partitions, search indexer, retention schedule).
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<PostgresStorage> {
  const o = parsePostgresStorageOptions(options);
  const driver = driverFor(o);
  try {
    if (o.migrate) await migrate(driver);
    const storage = new SqlStorage({
      name: 'postgres',
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
    await driver.close().catch(() => undefined);
    throw err;
  }
}

/** `auditrail migrate`: brings the database's schema to this version's latest, then disconnects. */
export async function migratePostgres(options: Pick<PostgresStorageOptions, 'connectionString' | 'host' | 'port' | 'user' | 'password' | 'database'>): Promise<MigrateResult> {
  const driver = driverFor(parsePostgresStorageOptions({ ...options, migrate: true }));
  try {
    return await migrate(driver);
  } finally {
    await driver.close();
  }
}

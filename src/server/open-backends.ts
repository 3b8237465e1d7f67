import { join, resolve } from 'node:path';
import { AuditrailError } from '../core/errors.js';
import { createMemoryStorage } from '../core/memory-storage.js';
import type { Storage } from '../core/storage.js';
import { createFileStorage } from '../storage/file/index.js';
import { createFileKeyStore } from './auth/file-key-store.js';
import type { KeyStore } from './auth/key-store.js';
import { MemoryKeyStore } from './auth/memory-key-store.js';
import type { AuditrailConfig } from './config/config-schema.js';
import { connectionString, describeDatabase, retentionOptions } from './database-options.js';
import { SqlKeyStore } from './auth/sql-key-store.js';
import { createPgliteStorage } from '../storage/pglite/create-pglite-storage.js';
import { createPostgresStorage } from '../storage/postgres/create-postgres-storage.js';
import { createPgDriver } from '../storage/postgres/pg-driver.js';
import { migrate } from '../storage/sql/migrate.js';
import type { StorageStats, StorageStatsSource } from './metrics/storage-stats.js';
import { integrityOptions } from './integrity-files.js';
import { openEncryption } from './encryption-setup.js';
import type { FieldEncryption } from '../encryption/field-encryption.js';
import type { SqlStorageDiagnostic } from '../storage/sql/sql-storage-diagnostics.js';

/**
 * The key store of a configuration, without opening the storage (for `auditrail keys`): the
 * database's api_keys table for PostgreSQL (migrated first), the data folder's keys.json for
 * file storage.
 */
export async function openKeyStore(config: AuditrailConfig): Promise<KeyStore> {
  switch (config.storage.type) {
    case 'memory':
      throw new AuditrailError('OPTIONS_INVALID', 'a server on memory storage keeps its keys in its own memory: manage them over HTTP with --remote (and an admin key)');
    case 'file':
    case 'pglite':
      // embedded: keys.json, not the PGlite database, which only one process may open (the
      // CLI must be able to create keys while the server runs)
      return createFileKeyStore(resolve(config.storage.data_dir));
    case 'postgres': {
      const driver = createPgDriver({ connectionString: connectionString(config), maxConnections: 2, idleTimeoutMs: 10_000, connectionTimeoutMs: 5_000 });
      try {
        await migrate(driver);
      } catch (err) {
        await driver.close().catch(() => undefined);
        throw err;
      }
      return new SqlKeyStore(driver, true);
    }
  }
}

export interface Backends {
  readonly storage: Storage & StorageStatsSource;
  readonly keyStore: KeyStore;
  /** Where the data lives, for the startup line. */
  readonly location: string;
  /** Field encryption, when configured (encryption.*): pass it to createAuditrailServer. */
  readonly encryption?: FieldEncryption;
}

/**
 * Opens the storage and key store the configuration names. Embedded layouts under data_dir:
 * `pglite/` (PGlite) or `records/` (file storage), and `keys.json` (hashed API keys).
 */
export interface OpenBackendsOptions {
  /**
   * The SQL storages' diagnostics (write retries, a lost connection, retention steps, checkpoint
   * log failures, a chain resumed after another writer): `serve` logs them.
   */
  readonly onDiagnostic?: (d: SqlStorageDiagnostic) => void;
  /**
   * false for a tool that opens the storage beside a running server (verify --local, keys
   * encryption): no migration, no background upkeep, no checkpoint published, no signing key
   * created (without one, the storage signs nothing). Default true.
   */
  readonly upkeep?: boolean;
}

export async function openBackends(config: AuditrailConfig, options: OpenBackendsOptions = {}): Promise<Backends> {
  const opened = await openStorageAndKeys(config, options);
  try {
    const encryption = await openEncryption(config, opened.storage);
    return encryption ? { ...opened, encryption } : opened;
  } catch (err) {
    await opened.storage.close().catch(() => undefined);
    await opened.keyStore.close().catch(() => undefined);
    throw err;
  }
}

async function openStorageAndKeys(config: AuditrailConfig, options: OpenBackendsOptions): Promise<Backends> {
  const upkeep = options.upkeep ?? true;
  // the SQL storages' shared options (only they chain records, so only they need a signing key)
  const sqlOptions = async () => {
    const integrity = upkeep ? await integrityOptions(config) : await integrityOptions(config, { createKey: false });
    return { ...(options.onDiagnostic ? { onDiagnostic: options.onDiagnostic } : {}), ...(integrity ? { integrity } : {}), upkeep, migrate: upkeep };
  };
  const dataDir = resolve(config.storage.data_dir);
  switch (config.storage.type) {
    case 'memory':
      return { storage: createMemoryStorage(), keyStore: new MemoryKeyStore(), location: 'memory (lost on exit)' };
    case 'file': {
      const directory = join(dataDir, 'records');
      const file = await createFileStorage({ directory });
      const storage = Object.assign(file, {
        storageStats: (): Promise<StorageStats> => {
          const s = file.stats();
          return Promise.resolve({ bytes: s.bytes, partitions: s.segments });
        },
      });
      return { storage, keyStore: await openKeyStore(config), location: directory };
    }
    case 'postgres': {
      const retention = retentionOptions(config);
      const pgStorage = await createPostgresStorage({
        connectionString: connectionString(config),
        maxConnections: config.audit.database.max_open_conns,
        ...(retention ? { retention } : {}),
        ...(await sqlOptions()),
      });
      return { storage: pgStorage, keyStore: new SqlKeyStore(pgStorage.driver), location: describeDatabase(config) };
    }
    case 'pglite': {
      const directory = join(dataDir, 'pglite');
      const retention = retentionOptions(config);
      const storage = await createPgliteStorage({ dataDir: directory, ...(retention ? { retention } : {}), ...(await sqlOptions()) });
      return { storage, keyStore: await openKeyStore(config), location: directory };
    }
  }
}

import { join, resolve } from 'node:path';
import { AuditrailError } from '../core/errors.js';
import { createMemoryStorage } from '../core/memory-storage.js';
import type { Storage } from '../core/storage.js';
import { createFileStorage } from '../storage/file/index.js';
import { createFileKeyStore } from './auth/file-key-store.js';
import type { KeyStore } from './auth/key-store.js';
import { MemoryKeyStore } from './auth/memory-key-store.js';
import type { AuditrailConfig } from './config/config-schema.js';
import type { StorageStats, StorageStatsSource } from './metrics/storage-stats.js';

/** The key store of a configuration, without opening the storage (for `auditrail keys`). */
export function openKeyStore(config: AuditrailConfig): KeyStore {
  if (config.storage.type === 'memory') {
    throw new AuditrailError('OPTIONS_INVALID', 'a server on memory storage keeps its keys in its own memory: manage them over HTTP with --remote (and an admin key)');
  }
  return createFileKeyStore(resolve(config.storage.data_dir));
}

export interface Backends {
  readonly storage: Storage & StorageStatsSource;
  readonly keyStore: KeyStore;
  /** Where the data lives, for the startup line. */
  readonly location: string;
}

/**
 * Opens the storage and key store the configuration names. Embedded layouts under data_dir:
 * `records/` (file storage) and `keys.json` (hashed API keys).
 */
export async function openBackends(config: AuditrailConfig): Promise<Backends> {
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
      return { storage, keyStore: openKeyStore(config), location: directory };
    }
    case 'pglite':
    case 'postgres':
      throw new Error(`storage.type ${config.storage.type} is not wired yet`);
  }
}

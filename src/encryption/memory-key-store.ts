import type { KeyPosition, KeyStore, NewDataKey, StoredDataKey } from './key-store.js';

export interface MemoryKeyStoreOptions {
  /** The clock for createdAt/destroyedAt, for tests. */
  readonly now?: () => number;
}

/** Wrapped data keys in process memory: tests and embedded use (they die with the process). */
export function createMemoryKeyStore(options: MemoryKeyStoreOptions = {}): KeyStore {
  const now = () => new Date(options.now?.() ?? Date.now()).toISOString();
  const keys = new Map<string, StoredDataKey>();
  const id = (orgId: string, version: number) => JSON.stringify([orgId, version]);
  const sorted = () => [...keys.values()].sort(compare);
  return {
    name: 'memory',
    list: (orgId) => Promise.resolve(sorted().filter((k) => k.orgId === orgId)),
    insert(key: NewDataKey) {
      const k = id(key.orgId, key.version);
      if (keys.has(k)) return Promise.resolve(false);
      keys.set(k, Object.freeze({ ...key, createdAt: now(), destroyedAt: null }));
      return Promise.resolve(true);
    },
    rewrap(orgId, version, expectedKekId, next) {
      const k = id(orgId, version);
      const row = keys.get(k);
      if (!row || row.kekId !== expectedKekId || row.destroyedAt !== null) return Promise.resolve(false);
      keys.set(k, Object.freeze({ ...row, kekId: next.kekId, wrappedKey: next.wrappedKey }));
      return Promise.resolve(true);
    },
    destroy(orgId, version) {
      const k = id(orgId, version);
      const row = keys.get(k);
      if (!row || row.destroyedAt !== null) return Promise.resolve(false);
      keys.set(k, Object.freeze({ ...row, kekId: null, wrappedKey: null, destroyedAt: now() }));
      return Promise.resolve(true);
    },
    page(after: KeyPosition | null, limit: number) {
      const live = sorted().filter((k) => k.destroyedAt === null && (after === null || compare(k, after) > 0));
      return Promise.resolve(live.slice(0, limit));
    },
  };
}

/** (orgId, version) order: keyset pages for rewrapping. */
function compare(a: KeyPosition, b: KeyPosition): number {
  if (a.orgId !== b.orgId) return a.orgId < b.orgId ? -1 : 1;
  return a.version - b.version;
}

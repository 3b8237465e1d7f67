import { generateToken } from './api-key.js';
import { publicInfo, type ApiKeyInfo, type CreatedApiKey, type CreateKeyInput, type KeyStore, type StoredApiKey } from './key-store.js';

/** Keys in process memory: for tests and for servers on memory storage. */
export class MemoryKeyStore implements KeyStore {
  readonly name: string = 'memory';
  protected readonly keys = new Map<string, StoredApiKey>();

  create(input: CreateKeyInput): Promise<CreatedApiKey> {
    const { keyId, token, hash } = generateToken();
    const stored: StoredApiKey = {
      keyId,
      orgId: input.orgId,
      scopes: [...new Set(input.scopes)],
      label: input.label ?? null,
      createdAt: new Date().toISOString(),
      revokedAt: null,
      hash,
    };
    this.keys.set(keyId, stored);
    return Promise.resolve({ key: publicInfo(stored), token });
  }

  find(keyId: string): Promise<StoredApiKey | undefined> {
    return Promise.resolve(this.keys.get(keyId));
  }

  list(orgId?: string): Promise<ApiKeyInfo[]> {
    const all = [...this.keys.values()].filter((k) => orgId === undefined || k.orgId === orgId);
    return Promise.resolve(all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).map(publicInfo));
  }

  revoke(keyId: string, orgId?: string): Promise<boolean> {
    const k = this.keys.get(keyId);
    if (!k || k.revokedAt !== null || (orgId !== undefined && k.orgId !== orgId)) return Promise.resolve(false);
    this.keys.set(keyId, { ...k, revokedAt: new Date().toISOString() });
    return Promise.resolve(true);
  }

  count(): Promise<number> {
    return Promise.resolve(this.keys.size);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export function createMemoryKeyStore(): KeyStore {
  return new MemoryKeyStore();
}

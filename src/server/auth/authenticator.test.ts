import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAuditrailError } from '../../core/errors.js';
import { createAuthenticator } from './authenticator.js';
import { MemoryKeyStore } from './memory-key-store.js';
import type { StoredApiKey } from './key-store.js';

/** A real memory key store that can be made to fail like an unreachable database. */
class FlakyKeyStore extends MemoryKeyStore {
  down = false;
  override find(keyId: string): Promise<StoredApiKey | undefined> {
    return this.down ? Promise.reject(new Error('connect ECONNRESET')) : super.find(keyId);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('authenticator', () => {
  it('caches verdicts for cacheTtlMs, so a revocation elsewhere takes effect after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new FlakyKeyStore();
    const { token, key } = await store.create({ orgId: 'o', scopes: ['read'] });
    const auth = createAuthenticator({ keyStore: store, cacheTtlMs: 5000 });
    expect(await auth.authenticate(token)).toMatchObject({ orgId: 'o', keyId: key.keyId });
    await store.revoke(key.keyId);
    expect(await auth.authenticate(token)).toBeDefined();
    vi.advanceTimersByTime(5001);
    expect(await auth.authenticate(token)).toBeUndefined();
  });

  it('keeps known verdicts while the key store is down, and answers 503 for keys it cannot check', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new FlakyKeyStore();
    const known = (await store.create({ orgId: 'o', scopes: ['ingest'] })).token;
    const unknown = (await store.create({ orgId: 'o', scopes: ['ingest'] })).token;
    const auth = createAuthenticator({ keyStore: store, cacheTtlMs: 1000 });
    await auth.authenticate(known);
    store.down = true;
    vi.advanceTimersByTime(60_000);
    expect(await auth.authenticate(known)).toMatchObject({ orgId: 'o' });
    await expect(auth.authenticate(unknown)).rejects.toSatisfy((e) => isAuditrailError(e, 'STORAGE_UNAVAILABLE'));
    store.down = false;
    expect(await auth.authenticate(unknown)).toMatchObject({ orgId: 'o' });
  });

  it('refuses a token whose secret does not match its key id', async () => {
    const store = new FlakyKeyStore();
    const { token } = await store.create({ orgId: 'o', scopes: ['read'] });
    const forged = `${token.slice(0, -4)}AAAA`;
    expect(await createAuthenticator({ keyStore: store, cacheTtlMs: 0 }).authenticate(forged)).toBeUndefined();
  });
});

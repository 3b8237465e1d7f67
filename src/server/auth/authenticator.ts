import { AuditrailError, errorMessage, isAuditrailError } from '../../core/errors.js';
import { hashToken, tokenKeyId, tokenMatches } from './api-key.js';
import type { KeyStore, Scope } from './key-store.js';

/** Who is calling: the org of every query and every stored record comes from here. */
export interface AuthContext {
  readonly keyId: string;
  readonly orgId: string;
  readonly scopes: readonly Scope[];
}

export interface Authenticator {
  /** The caller of a token, or undefined for an unknown, malformed or revoked one. */
  authenticate(token: string): Promise<AuthContext | undefined>;
  /** Forgets cached verdicts (after revoking a key in this process). */
  forget(keyId?: string): void;
}

export interface AuthenticatorOptions {
  readonly keyStore: KeyStore;
  /** How long a verdict is cached; a key revoked elsewhere stops working within this time. */
  readonly cacheTtlMs: number;
  readonly maxCacheEntries?: number;
}

/**
 * Verifies tokens against the key store, caching verdicts by token hash for cacheTtlMs. While the
 * key store fails, known verdicts are reused (ingestion keeps being admitted, held or refused with
 * 503 by the queue, never 500) and unknown tokens get 503 STORAGE_UNAVAILABLE.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { keyStore, cacheTtlMs } = options;
  const max = options.maxCacheEntries ?? 10_000;
  const cache = new Map<string, { ctx: AuthContext | undefined; expiresAt: number }>();
  return {
    async authenticate(token) {
      const keyId = tokenKeyId(token);
      if (keyId === undefined) return undefined;
      const cacheKey = hashToken(token);
      const hit = cache.get(cacheKey);
      if (hit && hit.expiresAt > Date.now()) return hit.ctx;
      let stored;
      try {
        stored = await keyStore.find(keyId);
      } catch (err) {
        // the key store (the database) is unreachable: a verdict already known stands until it
        // is back (a key revoked meanwhile works until then); an unknown key cannot be checked
        if (hit) return hit.ctx;
        throw isAuditrailError(err) ? err : new AuditrailError('STORAGE_UNAVAILABLE', `cannot check the API key: ${errorMessage(err)}`, { cause: err });
      }
      const ctx = stored && stored.revokedAt === null && tokenMatches(token, stored.hash) ? { keyId, orgId: stored.orgId, scopes: stored.scopes } : undefined;
      if (cacheTtlMs > 0) {
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(cacheKey, { ctx, expiresAt: Date.now() + cacheTtlMs });
      }
      return ctx;
    },
    forget(keyId) {
      if (keyId === undefined) cache.clear();
      else for (const [k, v] of cache) if (v.ctx?.keyId === keyId) cache.delete(k);
    },
  };
}

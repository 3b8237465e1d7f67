import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key tokens: `atr_<keyId>_<secret>`, keyId 16 hex characters (public, names the key in lists
 * and logs), secret 32 random bytes in base64url. Only sha256(token) is stored: 256 bits of
 * entropy make a slow hash unnecessary, and the comparison is constant-time.
 */
const TOKEN_RE = /^atr_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewToken {
  readonly keyId: string;
  readonly token: string;
  readonly hash: string;
}

export function generateToken(): NewToken {
  const keyId = randomBytes(8).toString('hex');
  const token = `atr_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, token, hash: hashToken(token) };
}

/** The key id of a well-formed token, or undefined. */
export function tokenKeyId(token: string): string | undefined {
  return TOKEN_RE.exec(token)?.[1];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of a token against a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

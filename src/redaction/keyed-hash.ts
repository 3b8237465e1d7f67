import { createHmac } from 'node:crypto';

/**
 * The `hash` field action: HMAC-SHA256 under the policy's key, hex, truncated to 128 bits and
 * prefixed `hmac:`. The same value under the same key always gives the same text, so hashed
 * fields stay joinable (count distinct users, follow one customer) without the value; without
 * the key nobody can test guesses against it, which a plain hash would allow for emails and
 * phone numbers. Non-string values are hashed as their JSON text.
 */
export function createKeyedHash(key: string | Uint8Array): (value: unknown) => string {
  return (value) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    return `hmac:${createHmac('sha256', key).update(text, 'utf8').digest('hex').slice(0, 32)}`;
  };
}

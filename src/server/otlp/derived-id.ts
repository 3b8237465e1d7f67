import { hash } from 'node:crypto';

const NAMESPACE = 'auditrail.otlp.v1\u0000';

/**
 * A record id derived from what identifies its source (org, trace id, span id, what the record
 * is), so that a re-sent export maps to the same ids and the store keeps one copy. A UUIDv8
 * (RFC 9562 section 5.8, custom layout):
 * - without `timeMs`: 122 bits of SHA-256 over the parts;
 * - with `timeMs`: 48 bits of Unix milliseconds, then a 12-bit `ordinal`, then 62 hash bits, so
 *   that the action events of one span sort in their life-cycle order under the (timestamp, id)
 *   order of queries even when they share a millisecond.
 */
export function derivedId(parts: readonly string[], timeMs?: number, ordinal = 0): string {
  // one-shot hash: no Hash object per id (their native handles weigh on the GC at thousands per request)
  const b = hash('sha256', NAMESPACE + parts.join('\u0000'), 'buffer').subarray(0, 16);
  if (timeMs !== undefined) {
    b.writeUIntBE(Math.max(0, Math.min(Math.trunc(timeMs), 2 ** 48 - 1)), 0, 6);
    b[6] = 0x80 | ((ordinal >> 8) & 0x0f);
    b[7] = ordinal & 0xff;
  } else {
    b[6] = 0x80 | (b[6]! & 0x0f);
  }
  b[8] = 0x80 | (b[8]! & 0x3f);
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

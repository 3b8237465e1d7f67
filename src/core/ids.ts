/**
 * Client-made record ids: UUIDv7 (RFC 9562), time-ordered, generated without I/O.
 *
 * `crypto.randomUUID()` draws from a pooled CSPRNG buffer (tens of ns); we keep its random bits and
 * version/variant layout and overwrite the first 48 bits with the Unix time in milliseconds, which
 * is exactly the v7 layout. The hex of the current millisecond is cached, so an id costs one
 * randomUUID and one string concatenation. (The `uuid` package's v7 costs ~2 us here.)
 */
let lastMs = -1;
let lastHex = '';

export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs !== lastMs) {
    lastMs = nowMs;
    lastHex = nowMs.toString(16).padStart(12, '0');
  }
  const r = globalThis.crypto.randomUUID();
  // r: xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx (V already carries the RFC variant bits)
  return `${lastHex.slice(0, 8)}-${lastHex.slice(8, 12)}-7${r.slice(15)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** True for any RFC 9562 UUID (v1-v8). Clients may send v4 ids; v7 is recommended. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && UUID_RE.test(value);
}

/** The millisecond timestamp embedded in a UUIDv7, or undefined for other versions. */
export function uuidv7Time(id: string): number | undefined {
  if (!isUuid(id) || id[14] !== '7') return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** base64url without padding (RFC 4648 §5), the alphabet of envelopes and wrapped keys. */
export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Strict, canonical decode: undefined for any character outside the alphabet, padding, an
 * impossible length, or unused low bits set in the last character. Each byte string then has
 * exactly one text: a changed envelope text is always a changed ciphertext (and fails to
 * decrypt), never the same bytes written differently.
 */
export function fromBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** Hashes, keys and signatures are raw bytes in code and lowercase hex in JSON (checkpoints, proofs). */

const HEX = /^(?:[0-9a-f]{2})*$/;

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses lowercase (or uppercase) hex; undefined when it is not whole bytes of hex. */
export function fromHex(hex: string): Buffer | undefined {
  const h = hex.toLowerCase();
  return HEX.test(h) ? Buffer.from(h, 'hex') : undefined;
}

/** Bytes as given, or decoded from hex (a bytea column may arrive either way). */
export function asBytes(value: Uint8Array | string): Uint8Array | undefined {
  return typeof value === 'string' ? fromHex(value.startsWith('\\x') ? value.slice(2) : value) : value;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

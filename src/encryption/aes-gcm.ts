import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

/** AES-256-GCM with a 96-bit random IV and a 128-bit tag, sealed as IV || ciphertext || tag. */
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

// IVs come from a pool filled by the CSPRNG in 4 KiB draws: one randomBytes() call per field
// cost a third of a field's encryption. Each IV is taken once and copied out.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function nextIv(): Buffer {
  if (poolAt + IV_BYTES > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const iv = pool.subarray(poolAt, poolAt + IV_BYTES);
  poolAt += IV_BYTES;
  return iv;
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const tail = cipher.final();
  const out = Buffer.allocUnsafe(IV_BYTES + body.length + tail.length + TAG_BYTES);
  iv.copy(out, 0);
  body.copy(out, IV_BYTES);
  tail.copy(out, IV_BYTES + body.length);
  cipher.getAuthTag().copy(out, IV_BYTES + body.length + tail.length);
  return out;
}

/** The plaintext, or undefined when the tag does not authenticate (wrong key, AAD, or changed bytes). */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const head = decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES));
  try {
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch {
    return undefined;
  }
}

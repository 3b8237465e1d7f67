import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AuditrailError, errorMessage } from '../core/errors.js';
import { KEY_BYTES, open, seal } from './aes-gcm.js';
import { fromBase64url, toBase64url } from './base64url.js';

/**
 * A master key (KEK): it wraps and unwraps the orgs' data keys, nothing else. The 32 key bytes
 * live only in this closure, so a MasterKey logs and serializes as its id alone.
 */
export interface MasterKey {
  /** First 16 hex digits of SHA-256("auditrail.kek.v1" || key): names the key, reveals nothing of it. */
  readonly id: string;
  /** AES-256-GCM of the data key, AAD bound to org and version: base64url(iv || ciphertext || tag). */
  wrap(orgId: string, version: number, dataKey: Uint8Array): string;
  /** The data key, or undefined when the wrapped text does not authenticate under this master key. */
  unwrap(orgId: string, version: number, wrapped: string): Buffer | undefined;
}

/** AAD of a wrapped data key: a wrapped key moved to another org or version does not unwrap. */
export function wrapAad(orgId: string, version: number): string {
  return JSON.stringify(['auditrail.dek.v1', orgId, version]);
}

export function masterKeyId(bytes: Uint8Array): string {
  return createHash('sha256').update('auditrail.kek.v1').update(bytes).digest('hex').slice(0, 16);
}

export function createMasterKey(bytes: Uint8Array): MasterKey {
  if (bytes.length !== KEY_BYTES) {
    throw new AuditrailError('OPTIONS_INVALID', `a master key has ${KEY_BYTES} bytes, not ${bytes.length}`, { issues: [{ path: 'masterKey', message: `must be ${KEY_BYTES} bytes` }] });
  }
  const kek = Buffer.from(bytes);
  const id = masterKeyId(kek);
  return Object.freeze({
    id,
    wrap: (orgId: string, version: number, dataKey: Uint8Array) => toBase64url(seal(kek, dataKey, Buffer.from(wrapAad(orgId, version), 'utf8'))),
    unwrap(orgId: string, version: number, wrapped: string) {
      const sealed = fromBase64url(wrapped);
      if (!sealed) return undefined;
      const dek = open(kek, sealed, Buffer.from(wrapAad(orgId, version), 'utf8'));
      return dek?.length === KEY_BYTES ? dek : undefined;
    },
  });
}

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The 32 bytes of a master key written as 64 hex digits or base64/base64url; undefined otherwise. */
export function decodeMasterKeyText(text: string): Buffer | undefined {
  const t = text.trim();
  if (HEX.test(t)) return Buffer.from(t, 'hex');
  if (BASE64.test(t)) {
    const bytes = Buffer.from(t.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, ''), 'base64url');
    return bytes.length === KEY_BYTES ? bytes : undefined;
  }
  return undefined;
}

/**
 * A master key from configuration text (64 hex digits, or base64 of 32 bytes: `openssl rand
 * -base64 32`). Throws OPTIONS_INVALID naming `path`, never the value.
 */
export function parseMasterKey(text: string, path = 'masterKey'): MasterKey {
  const bytes = decodeMasterKeyText(text);
  if (!bytes) {
    throw new AuditrailError('OPTIONS_INVALID', `${path}: must be 32 bytes written as 64 hex digits or base64 (44 characters); the value is not shown`, {
      issues: [{ path, message: 'must be 32 bytes as 64 hex digits or base64' }],
    });
  }
  return createMasterKey(bytes);
}

/**
 * A master key from a file holding its text (hex or base64, surrounding whitespace ignored) or
 * its 32 raw bytes. A file that cannot be read is a lost master key: ENCRYPTION_KEY_UNAVAILABLE.
 */
export async function readMasterKeyFile(file: string): Promise<MasterKey> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (err) {
    throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `the master key file ${file} cannot be read: ${errorMessage(err)}`, { cause: err });
  }
  // no text form of a key is 32 characters long, so 32 bytes are the raw key
  if (content.length === KEY_BYTES) return createMasterKey(content);
  return parseMasterKey(content.toString('utf8'), `master key file ${file}`);
}

/** A new random master key as base64 text, for configuration. */
export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

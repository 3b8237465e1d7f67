import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { AuditrailError, errorMessage } from '../core/errors.js';
import { fromHex, toHex } from './hex.js';

/**
 * Ed25519 keys for checkpoints. A key id is derived from the public key (the first 16 hex digits
 * of SHA-256 of its 32 raw bytes), so a checkpoint names its key unambiguously and a key cannot
 * be swapped under an existing id. Rotation: the active key signs; every older public key stays
 * in the keyring and keeps verifying the checkpoints it signed (docs/integrity.md).
 */
export type KeyCheck = 'valid' | 'invalid' | 'unknown-key';

/** Public keys only: what a verifier needs. */
export interface PublicKeyring {
  readonly keyIds: readonly string[];
  verify(keyId: string, message: Uint8Array, signature: Uint8Array): KeyCheck;
  /** The keys as {keyId, publicKey (64 hex digits, raw Ed25519)}: publish these. */
  toJSON(): { keyId: string; publicKey: string }[];
}

/** A keyring that can also sign, with its active key. */
export interface SigningKeyring extends PublicKeyring {
  readonly activeKeyId: string;
  sign(message: Uint8Array): { keyId: string; signature: Buffer };
}

export interface GeneratedSigningKey {
  readonly keyId: string;
  /** PKCS#8 PEM: keep it secret (configuration, a secret store), never in the database. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
  /** Raw 32-byte Ed25519 public key in hex. */
  readonly publicKey: string;
}

// SPKI DER of an Ed25519 key is this 12-byte header followed by the 32 raw key bytes (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function generateSigningKey(): GeneratedSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId: keyIdOf(publicKey),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey: toHex(rawPublicKey(publicKey)),
  };
}

/** Builds a verifier from public keys given as SPKI PEM, 64 hex digits (raw), or KeyObjects. */
export function createPublicKeyring(publicKeys: readonly (string | KeyObject)[]): PublicKeyring {
  return keyringOf(publicKeys.map(toPublicKey));
}

export interface SigningKeyringOptions {
  /** PKCS#8 PEM private keys (or KeyObjects): the active one and older ones still trusted. */
  readonly privateKeys: readonly (string | KeyObject)[];
  /** Public keys of retired keys whose private half is gone: they only verify. */
  readonly publicKeys?: readonly (string | KeyObject)[];
  /** The key that signs new checkpoints; default: the first private key. */
  readonly activeKeyId?: string;
}

export function createSigningKeyring(options: SigningKeyringOptions): SigningKeyring {
  const privates = options.privateKeys.map(toPrivateKey);
  if (privates.length === 0) throw new AuditrailError('SIGNING_KEY_INVALID', 'no private key given');
  const byId = new Map(privates.map((k) => [keyIdOf(createPublicKey(k)), k] as const));
  const activeKeyId = options.activeKeyId ?? keyIdOf(createPublicKey(privates[0]!));
  const active = byId.get(activeKeyId);
  if (!active) throw new AuditrailError('SIGNING_KEY_INVALID', `active key id ${activeKeyId} names none of the private keys (${[...byId.keys()].join(', ')})`);
  const verifier = keyringOf([...privates.map((k) => createPublicKey(k)), ...(options.publicKeys ?? []).map(toPublicKey)]);
  return {
    ...verifier,
    activeKeyId,
    sign: (message) => ({ keyId: activeKeyId, signature: sign(null, message, active) }),
  };
}

function keyringOf(keys: readonly KeyObject[]): PublicKeyring {
  const byId = new Map<string, KeyObject>();
  for (const k of keys) byId.set(keyIdOf(k), k);
  const keyIds = Object.freeze([...byId.keys()]);
  return {
    keyIds,
    verify(keyId, message, signature) {
      const key = byId.get(keyId);
      if (!key) return 'unknown-key';
      try {
        return signature.byteLength === 64 && verify(null, message, key, signature) ? 'valid' : 'invalid';
      } catch {
        return 'invalid';
      }
    },
    toJSON: () => [...byId].map(([keyId, k]) => ({ keyId, publicKey: toHex(rawPublicKey(k)) })),
  };
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' }).subarray(SPKI_PREFIX.length);
}

function toPublicKey(k: string | KeyObject): KeyObject {
  try {
    const key = typeof k !== 'string' ? (k.type === 'private' ? createPublicKey(k) : k) : /^[0-9a-fA-F]{64}$/.test(k.trim()) ? rawToKey(k.trim()) : createPublicKey(k);
    return ed25519(key, 'public');
  } catch (err) {
    throw keyError('public', err);
  }
}

function toPrivateKey(k: string | KeyObject): KeyObject {
  try {
    const key = typeof k === 'string' ? createPrivateKey(k) : k;
    if (key.type !== 'private') throw new Error('not a private key');
    return ed25519(key, 'private');
  } catch (err) {
    throw keyError('private', err);
  }
}

function rawToKey(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, fromHex(hex)!]), format: 'der', type: 'spki' });
}

function ed25519(key: KeyObject, kind: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType ?? 'symmetric'} ${kind} key, not ed25519`);
  return key;
}

function keyError(kind: string, err: unknown): AuditrailError {
  if (err instanceof AuditrailError) return err;
  return new AuditrailError('SIGNING_KEY_INVALID', `${kind} key: ${errorMessage(err)}`, { cause: err });
}

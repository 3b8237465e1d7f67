import { fromBase64url, toBase64url } from './base64url.js';
import { IV_BYTES, TAG_BYTES } from './aes-gcm.js';

/**
 * The self-describing form of an encrypted field (docs/encryption.md, "Envelope"):
 * `enc:v1:<keyVersion>:<base64url(iv || ciphertext || tag)>`. The prefix names the format, the
 * version names the org's data key; org, record and field are bound by the AAD, not written.
 */
export const ENVELOPE_PREFIX = 'enc:v1:';

/** Object-valued fields (actionParams, metadata) stay objects: `{"$encrypted": "<envelope>"}`. */
export const ENCRYPTED_OBJECT_KEY = '$encrypted';

/** Key versions are positive and fit a SQL integer. */
export const MAX_KEY_VERSION = 2_147_483_647;

export interface ParsedEnvelope {
  readonly keyVersion: number;
  /** iv || ciphertext || tag. */
  readonly sealed: Buffer;
}

const VERSION = /^[1-9][0-9]{0,9}$/;

export function formatEnvelope(keyVersion: number, sealed: Uint8Array): string {
  return `${ENVELOPE_PREFIX}${keyVersion}:${toBase64url(sealed)}`;
}

/** True for every string that claims to be an envelope: decrypt then either opens it or fails loudly. */
export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
}

/** The key version and sealed bytes, or undefined when the text after the prefix is malformed. */
export function parseEnvelope(value: string): ParsedEnvelope | undefined {
  if (!value.startsWith(ENVELOPE_PREFIX)) return undefined;
  const colon = value.indexOf(':', ENVELOPE_PREFIX.length);
  if (colon < 0) return undefined;
  const version = value.slice(ENVELOPE_PREFIX.length, colon);
  if (!VERSION.test(version)) return undefined;
  const keyVersion = Number(version);
  if (keyVersion > MAX_KEY_VERSION) return undefined;
  const sealed = fromBase64url(value.slice(colon + 1));
  if (sealed === undefined || sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  return { keyVersion, sealed };
}

/** The envelope inside an encrypted object field, or undefined when the value is not one. */
export function objectEnvelope(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== ENCRYPTED_OBJECT_KEY) return undefined;
  const inner = (value as Record<string, unknown>)[ENCRYPTED_OBJECT_KEY];
  return isEnvelope(inner) ? inner : undefined;
}

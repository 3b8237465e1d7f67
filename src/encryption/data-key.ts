import { createHmac, randomBytes } from 'node:crypto';
import type { RecordKind } from '../core/record.js';
import { KEY_BYTES, open, seal } from './aes-gcm.js';

/**
 * One version of an org's data key (DEK), unwrapped. The 32 key bytes live only in this closure:
 * no property holds them, so logging or serializing a DataKey shows its org and version only.
 */
export interface DataKey {
  readonly orgId: string;
  readonly version: number;
  /** The key of one record, derived from the DEK (see recordKeyInfo); its fields are sealed with it. */
  forRecord(kind: RecordKind, recordId: string): RecordKey;
}

/** Seals and opens the fields of one record; the AAD binds each to org, record, path and version. */
export interface RecordKey {
  seal(path: string, plaintext: Uint8Array): Buffer;
  /** undefined when the sealed bytes do not authenticate for this record and path. */
  open(path: string, sealed: Uint8Array): Buffer | undefined;
}

/**
 * The HKDF info of a record key (docs/encryption.md). One key per record keeps every AES-GCM key's
 * use to the fields of one record, so random 96-bit IVs never approach their collision bound
 * however many records an org writes under one data key version. Record ids are compared in
 * lower case: the SQL storages return UUIDs lower-cased.
 */
export function recordKeyInfo(orgId: string, kind: RecordKind, recordId: string, version: number): string {
  return JSON.stringify(['auditrail.record-key.v1', orgId, kind, recordId.toLowerCase(), version]);
}

/** The additional authenticated data of one field. */
export function fieldAad(orgId: string, kind: RecordKind, recordId: string, path: string, version: number): string {
  return JSON.stringify(['auditrail.field.v1', orgId, kind, recordId.toLowerCase(), path, version]);
}

const ONE = Buffer.from([1]);

/** HKDF-Expand (RFC 5869 §2.3) with PRK = the data key and L = 32: a single HMAC-SHA256 block. */
function expand(prk: Uint8Array, info: string): Buffer {
  return createHmac('sha256', prk).update(info, 'utf8').update(ONE).digest();
}

export function createDataKey(orgId: string, version: number, material: Uint8Array): DataKey {
  if (material.length !== KEY_BYTES) throw new RangeError(`a data key has ${KEY_BYTES} bytes, not ${material.length}`);
  const dek = Buffer.from(material);
  return Object.freeze({
    orgId,
    version,
    forRecord(kind: RecordKind, recordId: string): RecordKey {
      const key = expand(dek, recordKeyInfo(orgId, kind, recordId, version));
      const aad = (path: string) => Buffer.from(fieldAad(orgId, kind, recordId, path, version), 'utf8');
      return {
        seal: (path, plaintext) => seal(key, plaintext, aad(path)),
        open: (path, sealed) => open(key, sealed, aad(path)),
      };
    },
  });
}

/** 32 random bytes: a new data key version. */
export function generateDataKeyMaterial(): Buffer {
  return randomBytes(KEY_BYTES);
}

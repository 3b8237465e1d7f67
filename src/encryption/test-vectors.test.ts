import { createDecipheriv, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64url } from './base64url.js';
import { createDataKey, fieldAad, recordKeyInfo } from './data-key.js';
import { decryptRecord } from './decrypt-record.js';
import { encryptRecord } from './encrypt-record.js';
import { createMasterKey, wrapAad } from './master-key.js';
import { createOrgKeys } from './org-keys.js';
import { interaction } from './test-support/records.js';
import { VECTOR, computeVectors } from './test-support/vectors.js';

const doc = readFileSync(new URL('../../docs/encryption.md', import.meta.url), 'utf8');
const v = VECTOR;
const expected = computeVectors();
const keys = createOrgKeys(v.orgId, [createDataKey(v.orgId, v.keyVersion, v.dataKey)]);

describe('encryption test vectors (docs/encryption.md)', () => {
  it('builds the record key info and the AAD the specification gives', () => {
    expect(recordKeyInfo(v.orgId, v.kind, v.recordId, v.keyVersion)).toBe(expected.info);
    expect(fieldAad(v.orgId, v.kind, v.recordId, v.path, v.keyVersion)).toBe(expected.aad);
    expect(wrapAad(v.orgId, v.keyVersion)).toBe(expected.wrapAad);
  });

  it('decrypts the vector envelope computed from the specification alone', () => {
    const record = interaction({ orgId: v.orgId, interactionId: v.recordId, question: expected.envelope });
    expect(decryptRecord(record, keys).question).toBe(v.value);
  });

  it('encrypts to envelopes that the specification alone decrypts', () => {
    const stored = encryptRecord(interaction({ orgId: v.orgId, interactionId: v.recordId, question: v.value }), keys);
    const sealed = fromBase64url(stored.question.slice('enc:v1:1:'.length))!;
    const recordKey = createHmac('sha256', v.dataKey).update(Buffer.concat([Buffer.from(expected.info, 'utf8'), Buffer.from([1])])).digest();
    const d = createDecipheriv('aes-256-gcm', recordKey, sealed.subarray(0, 12));
    d.setAAD(Buffer.from(expected.aad, 'utf8'));
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]).toString('utf8');
    expect(recordKey.toString('hex')).toBe(expected.recordKey);
    expect(plain).toBe(expected.plaintext);
  });

  it('unwraps the vector data key and names the vector master key', () => {
    const kek = createMasterKey(v.masterKey);
    expect(kek.id).toBe(expected.kekId);
    expect(kek.unwrap(v.orgId, v.keyVersion, expected.wrappedKey)).toEqual(v.dataKey);
  });

  it('are the values docs/encryption.md prints', () => {
    for (const value of [expected.info, expected.recordKey, expected.aad, expected.envelope, expected.kekId, expected.wrapAad, expected.wrappedKey]) {
      expect(doc).toContain(value);
    }
    expect(doc).toContain(v.fieldIv.toString('hex'));
    expect(doc).toContain(v.wrapIv.toString('hex'));
  });
});

import { createCipheriv, createHash, createHmac } from 'node:crypto';

/**
 * The test vectors of docs/encryption.md, computed here from the specification alone with plain
 * node:crypto calls (not with the library), so that the library is checked against the spec.
 * Fixed IVs stand in for the random ones; everything else is what any implementation computes.
 */
const bytes = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => from + i));

export const VECTOR = Object.freeze({
  orgId: 'org_demo',
  kind: 'interaction' as const,
  recordId: '01900000-0000-7000-8000-000000000002',
  path: 'question',
  keyVersion: 1,
  value: '为什么 nginx 一直重启？😟',
  dataKey: bytes(0x00, 32),
  fieldIv: bytes(0xa0, 12),
  masterKey: bytes(0x40, 32),
  wrapIv: bytes(0xb0, 12),
});

function gcm(key: Uint8Array, iv: Uint8Array, aad: string, plaintext: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([iv, c.update(plaintext), c.final(), c.getAuthTag()]);
}

export function computeVectors() {
  const v = VECTOR;
  const info = JSON.stringify(['auditrail.record-key.v1', v.orgId, v.kind, v.recordId, v.keyVersion]);
  const recordKey = createHmac('sha256', v.dataKey).update(Buffer.concat([Buffer.from(info, 'utf8'), Buffer.from([1])])).digest();
  const aad = JSON.stringify(['auditrail.field.v1', v.orgId, v.kind, v.recordId, v.path, v.keyVersion]);
  const plaintext = JSON.stringify(v.value);
  const envelope = `enc:v1:${v.keyVersion}:${gcm(recordKey, v.fieldIv, aad, Buffer.from(plaintext, 'utf8')).toString('base64url')}`;
  const kekId = createHash('sha256').update(Buffer.concat([Buffer.from('auditrail.kek.v1', 'utf8'), v.masterKey])).digest('hex').slice(0, 16);
  const wrapAad = JSON.stringify(['auditrail.dek.v1', v.orgId, v.keyVersion]);
  const wrappedKey = gcm(v.masterKey, v.wrapIv, wrapAad, v.dataKey).toString('base64url');
  return { info, recordKey: recordKey.toString('hex'), aad, plaintext, envelope, kekId, wrapAad, wrappedKey };
}

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { checkCheckpointSignature, signCheckpoint } from './checkpoint.js';
import { createPublicKeyring, createSigningKeyring, generateSigningKey, keyIdOf } from './keyring.js';

const unsigned = { orgId: 'org_a', kind: 'periodic' as const, fromSeq: 1, toSeq: 2, headHash: new Uint8Array(32).fill(1), merkleRoot: new Uint8Array(32).fill(2), timeMs: Date.UTC(2026, 0, 1) };

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isAuditrailError(err) ? err.code : 'not an AuditrailError';
  }
  return undefined;
}

describe('keyring', () => {
  it('derives the key id from the public key, the same from PEM, hex and KeyObject', () => {
    const k = generateSigningKey();
    expect(k.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(createPublicKeyring([k.publicKeyPem]).keyIds).toEqual([k.keyId]);
    expect(createPublicKeyring([k.publicKey]).keyIds).toEqual([k.keyId]);
    expect(createSigningKeyring({ privateKeys: [k.privateKeyPem] }).activeKeyId).toBe(k.keyId);
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(createPublicKeyring([publicKey]).keyIds).toEqual([keyIdOf(publicKey)]);
  });

  it('signs with the active key and verifies with the public half alone', () => {
    const k = generateSigningKey();
    const c = signCheckpoint(unsigned, createSigningKeyring({ privateKeys: [k.privateKeyPem] }));
    expect(c.keyId).toBe(k.keyId);
    expect(checkCheckpointSignature(c, createPublicKeyring([k.publicKey]))).toBe('valid');
    expect(checkCheckpointSignature({ ...c, toSeq: 3 }, createPublicKeyring([k.publicKey]))).toBe('invalid');
    expect(checkCheckpointSignature({ ...c, signature: 'ab' }, createPublicKeyring([k.publicKey]))).toBe('invalid');
    expect(checkCheckpointSignature(c, createPublicKeyring([generateSigningKey().publicKey]))).toBe('unknown-key');
  });

  it('rotates: the chosen active key signs, the others and retired public keys still verify', () => {
    const [a, b, retired] = [generateSigningKey(), generateSigningKey(), generateSigningKey()];
    const oldSig = signCheckpoint(unsigned, createSigningKeyring({ privateKeys: [retired.privateKeyPem] }));
    const ring = createSigningKeyring({ privateKeys: [a.privateKeyPem, b.privateKeyPem], activeKeyId: b.keyId, publicKeys: [retired.publicKeyPem] });
    expect(ring.activeKeyId).toBe(b.keyId);
    expect(signCheckpoint(unsigned, ring).keyId).toBe(b.keyId);
    expect(checkCheckpointSignature(oldSig, ring)).toBe('valid');
    expect(ring.toJSON().map((k) => k.keyId).sort()).toEqual([a.keyId, b.keyId, retired.keyId].sort());
  });

  it('refuses keys that are not Ed25519, malformed keys, and an active id that names no private key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(code(() => createSigningKeyring({ privateKeys: [rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()] }))).toBe('AUDITRAIL_ERR_SIGNING_KEY_INVALID');
    expect(code(() => createPublicKeyring(['not a key']))).toBe('AUDITRAIL_ERR_SIGNING_KEY_INVALID');
    expect(code(() => createSigningKeyring({ privateKeys: [] }))).toBe('AUDITRAIL_ERR_SIGNING_KEY_INVALID');
    expect(code(() => createSigningKeyring({ privateKeys: [generateSigningKey().privateKeyPem], activeKeyId: '0000000000000000' }))).toBe('AUDITRAIL_ERR_SIGNING_KEY_INVALID');
    expect(code(() => createSigningKeyring({ privateKeys: [generateSigningKey().publicKeyPem] }))).toBe('AUDITRAIL_ERR_SIGNING_KEY_INVALID');
  });
});

import { describe, expect, it } from 'vitest';
import { isAuditrailError, type AuditrailError } from '../core/errors.js';
import { parseRecord, type AuditRecord } from '../core/record.js';
import { fromBase64url } from './base64url.js';
import { createDataKey } from './data-key.js';
import { DECRYPT_DIAGNOSTIC_KEY, decryptRecord, envelopeVersions, hasEncryptedFields } from './decrypt-record.js';
import { encryptRecord } from './encrypt-record.js';
import { ENCRYPTED_OBJECT_KEY, isEnvelope, parseEnvelope } from './envelope.js';
import { ENCRYPTABLE_FIELDS, selectFields } from './field-paths.js';
import { createOrgKeys, type OrgKeys } from './org-keys.js';
import { deepFreeze, event, interaction } from './test-support/records.js';

const material = (n: number) => Buffer.alloc(32, n);
const keysOf = (orgId: string, versions: number[] = [1]): OrgKeys => createOrgKeys(orgId, versions.map((v) => createDataKey(orgId, v, material(v))));
const acme = keysOf('org_acme');
const ALL = selectFields(ENCRYPTABLE_FIELDS);

function thrown(fn: () => unknown): AuditrailError {
  try {
    fn();
  } catch (err) {
    if (isAuditrailError(err)) return err;
    throw err;
  }
  throw new Error('expected an AuditrailError');
}

describe('record encryption: round trip', () => {
  it('gives back an interaction exactly, Chinese, emoji, NUL and a lone surrogate included', () => {
    const plain = deepFreeze(interaction());
    const stored = encryptRecord(plain, acme, { fields: ALL });
    expect(decryptRecord(stored, acme)).toEqual(plain);
    expect(decryptRecord(stored, acme).thoughts[1]!.content).toBe('lone surrogate \ud800 and NUL \u0000 kept exactly');
  });

  it('gives back an event exactly, params and metadata objects included', () => {
    const plain = deepFreeze(event());
    const stored = encryptRecord(plain, acme, { fields: ALL });
    expect(stored.actionParams).toEqual({ [ENCRYPTED_OBJECT_KEY]: expect.stringMatching(/^enc:v1:1:/) });
    expect(decryptRecord(stored, acme)).toEqual(plain);
  });

  it('keeps the type of tool inputs and observations (object, text, number)', () => {
    const stored = encryptRecord(interaction(), acme);
    const back = decryptRecord(stored, acme);
    expect(back.toolCalls.map((c) => c.input)).toEqual([expect.objectContaining({ limit: 5, nested: [1, null, { ok: true }] }), 'nginx-7d9c --tail=50', 42]);
    expect(back.toolCalls.map((c) => c.observation)).toEqual(['nginx 0/1 CrashLoopBackOff', { lines: ['OOMKilled', '配置文件缺失'] }, undefined]);
  });

  it('does not modify its input, and makes a different ciphertext each time (random IV)', () => {
    const plain = deepFreeze(interaction());
    const a = encryptRecord(plain, acme);
    const b = encryptRecord(plain, acme);
    expect(a.question).not.toBe(b.question);
    expect(decryptRecord(a, acme)).toEqual(decryptRecord(b, acme));
  });
});

describe('record encryption: what is stored', () => {
  it('encrypts the default fields and leaves the rest, nulls and absences as they were', () => {
    const plain = interaction({ errorMessage: 'boom', finalAnswer: null });
    const stored = encryptRecord(plain, acme);
    expect(isEnvelope(stored.question)).toBe(true);
    expect(stored.finalAnswer).toBeNull();
    expect(stored.thoughts.every((t) => isEnvelope(t.content))).toBe(true);
    expect(stored.toolCalls.map((c) => [isEnvelope(c.input), c.observation === undefined || isEnvelope(c.observation)])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect('observation' in stored.toolCalls[2]!).toBe(false);
    // not chosen by default: ids, model, timings, metadata, error messages
    expect(stored.errorMessage).toBe('boom');
    expect(stored.toolCalls[1]!.errorMessage).toBe('exit 137 😵');
    expect(stored.metadata).toEqual(plain.metadata);
    expect({ ...stored, question: 0, thoughts: 0, toolCalls: 0 }).toEqual({ ...plain, question: 0, thoughts: 0, toolCalls: 0 });
    expect(stored.toolCalls.map((c) => [c.name, c.sequence, c.status, c.durationMs])).toEqual(plain.toolCalls.map((c) => [c.name, c.sequence, c.status, c.durationMs]));
  });

  it('stores records that still match the schema (envelopes are strings, objects stay objects)', () => {
    for (const r of [encryptRecord(interaction(), acme, { fields: ALL }), encryptRecord(event(), acme, { fields: ALL })]) {
      expect(parseRecord(r).ok).toBe(true);
    }
  });

  it('writes enc:v1:<version>:<base64url(12-byte IV | ciphertext | 16-byte tag)> over the JSON text of the value', () => {
    const stored = encryptRecord(interaction({ question: '你好' }), keysOf('org_acme', [1, 2, 7]));
    expect(stored.question).toMatch(/^enc:v1:7:[A-Za-z0-9_-]+$/);
    const bytes = fromBase64url(stored.question.slice('enc:v1:7:'.length))!;
    expect(bytes.length).toBe(12 + Buffer.byteLength(JSON.stringify('你好')) + 16);
    expect(parseEnvelope(stored.question)).toMatchObject({ keyVersion: 7 });
  });

  it('finds the key versions a record names', () => {
    const v1 = encryptRecord(interaction(), keysOf('org_acme', [1]));
    expect([...envelopeVersions(v1)]).toEqual([1]);
    expect(hasEncryptedFields(v1)).toBe(true);
    expect(hasEncryptedFields(interaction())).toBe(false);
    expect(envelopeVersions(event()).size).toBe(0);
  });

  it('passes plaintext records (written before encryption was on) through untouched', () => {
    const plain = interaction();
    expect(decryptRecord(plain, acme)).toBe(plain);
  });
});

describe('record encryption: AAD binding', () => {
  const fails = (record: AuditRecord, keys: OrgKeys = acme) => thrown(() => decryptRecord(record, keys));

  it('refuses a ciphertext copied to another record of the same org', () => {
    const a = encryptRecord(interaction(), acme);
    const b = encryptRecord(interaction(), acme);
    const err = fails({ ...b, question: a.question });
    expect(err.code).toBe('AUDITRAIL_ERR_DECRYPT_FAILED');
    expect(err.message).toContain(`interaction ${b.interactionId}, field question (key version 1)`);
    expect(err.issues).toEqual([{ path: 'question', message: expect.stringContaining('does not authenticate') }]);
  });

  it('refuses a ciphertext copied to another field of the same record', () => {
    const s = encryptRecord(interaction(), acme);
    expect(fails({ ...s, finalAnswer: s.question }).message).toContain('field finalAnswer');
    const swapped = { ...s, thoughts: [s.thoughts[1]!, s.thoughts[0]!] };
    expect(fails(swapped).message).toContain('field thoughts.0.content');
    const inputAsObservation = { ...s, toolCalls: [{ ...s.toolCalls[0]!, observation: s.toolCalls[0]!.input }, ...s.toolCalls.slice(1)] };
    expect(fails(inputAsObservation).message).toContain('field toolCalls.0.observation');
  });

  it('refuses a ciphertext moved to another org, even one holding the same key bytes', () => {
    const s = encryptRecord(interaction(), acme);
    const other = createOrgKeys('org_other', [createDataKey('org_other', 1, material(1))]);
    const err = fails({ ...s, orgId: 'org_other' }, other);
    expect(err.code).toBe('AUDITRAIL_ERR_DECRYPT_FAILED');
  });

  it('refuses a ciphertext whose version label was changed to another key', () => {
    const keys = keysOf('org_acme', [1, 2]);
    const s = encryptRecord(interaction(), keys);
    expect(fails({ ...s, question: s.question.replace('enc:v1:2:', 'enc:v1:1:') }, keys).message).toContain('field question (key version 1)');
  });

  it('refuses an event params envelope moved into metadata', () => {
    const s = encryptRecord(event(), acme, { fields: ALL });
    expect(fails({ ...s, metadata: s.actionParams }).message).toContain('field metadata');
  });

  it('accepts an upper-case record id as the storages return it lower-cased', () => {
    const id = '0190A5C4-1F2E-7ABC-8DEF-0000000004D2';
    const s = encryptRecord(interaction({ interactionId: id }), acme);
    expect(decryptRecord({ ...s, interactionId: id.toLowerCase() }, acme).question).toBe(interaction().question);
  });
});

describe('record encryption: tampering', () => {
  const flip = (envelope: string, at: (n: number) => number): string => {
    const prefix = envelope.slice(0, envelope.lastIndexOf(':') + 1);
    const bytes = fromBase64url(envelope.slice(prefix.length))!;
    bytes[at(bytes.length)]! ^= 0x01;
    return prefix + bytes.toString('base64url');
  };

  it.each([
    ['the tag', (n: number) => n - 1],
    ['the IV', () => 0],
    ['the ciphertext', () => 12],
  ])('fails with DECRYPT_FAILED naming record and field when one bit of %s changes', (_what, at) => {
    const s = encryptRecord(interaction(), acme);
    const tampered = { ...s, thoughts: [s.thoughts[0]!, { ...s.thoughts[1]!, content: flip(s.thoughts[1]!.content, at) }] };
    const err = thrown(() => decryptRecord(tampered, acme));
    expect(err.code).toBe('AUDITRAIL_ERR_DECRYPT_FAILED');
    expect(err.message).toContain(`interaction ${s.interactionId}, field thoughts.1.content`);
  });

  it('fails on a truncated or malformed envelope rather than returning it', () => {
    const s = encryptRecord(interaction(), acme);
    for (const bad of [s.question.slice(0, -4), 'enc:v1:1:', 'enc:v1:x:AAAA', 'enc:v1:01:' + s.question.split(':')[3], s.question + '!']) {
      expect(thrown(() => decryptRecord({ ...s, question: bad }, acme)).code).toBe('AUDITRAIL_ERR_DECRYPT_FAILED');
    }
  });

  it('marks failing fields instead, when asked, and lists them in metadata', () => {
    const keys = keysOf('org_acme', [1]);
    const s = encryptRecord(interaction(), keys, { fields: ALL });
    const tampered = { ...s, finalAnswer: flip(s.finalAnswer!, (n) => n - 1) };
    const back = decryptRecord(tampered, keys, { onFailure: 'mark' });
    expect(back.finalAnswer).toBe('[DECRYPT_FAILED]');
    expect(back.question).toBe(interaction().question);
    expect(back.metadata[DECRYPT_DIAGNOSTIC_KEY]).toEqual({ failures: [{ path: 'finalAnswer', code: 'AUDITRAIL_ERR_DECRYPT_FAILED', keyVersion: 1 }] });
    expect(back.metadata.route).toBe('/api/chat');
  });
});

describe('record encryption: keys', () => {
  it('refuses keys of another org', () => {
    const err = thrown(() => encryptRecord(interaction(), keysOf('org_other')));
    expect(err.code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
    const s = encryptRecord(interaction(), acme);
    expect(thrown(() => decryptRecord(s, keysOf('org_other'))).code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
  });

  it('names the missing version of a record written under a key this org no longer has', () => {
    const s = encryptRecord(interaction(), keysOf('org_acme', [3]));
    const err = thrown(() => decryptRecord(s, keysOf('org_acme', [1, 2])));
    expect(err.code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
    expect(err.message).toContain('no data key version 3 (it has 1, 2)');
  });

  it('decrypts with a key built from the same bytes: nothing but org, version and bytes matter', () => {
    const s = encryptRecord(interaction(), acme);
    expect(decryptRecord(s, keysOf('org_acme')).question).toBe(interaction().question);
    expect(thrown(() => decryptRecord(s, createOrgKeys('org_acme', [createDataKey('org_acme', 1, material(9))]))).code).toBe('AUDITRAIL_ERR_DECRYPT_FAILED');
  });

  it('refuses a value JSON cannot carry, naming the field', () => {
    const err = thrown(() => encryptRecord(interaction({ toolCalls: [{ sequence: 0, name: 't', input: { n: 10n }, status: 'success' }] }), acme));
    expect(err.code).toBe('AUDITRAIL_ERR_RECORD_INVALID');
    expect(err.issues[0]!.path).toBe('toolCalls.0.input');
  });
});

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isAuditrailError, type AuditrailError } from '../core/errors.js';
import type { Interaction } from '../core/interaction.js';
import { DECRYPT_DIAGNOSTIC_KEY } from './decrypt-record.js';
import { isEnvelope, parseEnvelope } from './envelope.js';
import { createFieldEncryption, type FieldEncryption } from './field-encryption.js';
import type { KeyStore } from './key-store.js';
import { createMasterKey, type MasterKey } from './master-key.js';
import { createMemoryKeyStore } from './memory-key-store.js';
import { event, interaction } from './test-support/records.js';

const kekBytes = (n: number) => Buffer.alloc(32, n);
const K1 = createMasterKey(kekBytes(1));
const K2 = createMasterKey(kekBytes(2));
const K3 = createMasterKey(kekBytes(3));

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function service(keyStore: KeyStore, masterKey?: MasterKey, more: Partial<Parameters<typeof createFieldEncryption>[0]> = {}): FieldEncryption {
  return createFieldEncryption({ keyStore, ...(masterKey ? { masterKey } : {}), ...more });
}

async function rejection(p: Promise<unknown>): Promise<AuditrailError> {
  try {
    await p;
  } catch (err) {
    if (isAuditrailError(err)) return err;
    throw err;
  }
  throw new Error('expected an AuditrailError');
}

const versionOf = (r: Interaction) => parseEnvelope(r.question)!.keyVersion;

describe('field encryption: data keys', () => {
  it('creates an org\'s data key version 1 on first use, wrapped by the master key', async () => {
    const store = createMemoryKeyStore();
    const enc = service(store, K1);
    const [stored] = await enc.encryptRecords([interaction()]);
    expect(versionOf(stored!)).toBe(1);
    expect(await enc.describeKeys('org_acme')).toEqual([{ orgId: 'org_acme', version: 1, kekId: K1.id, createdAt: expect.any(String), destroyedAt: null, active: true }]);
    expect((await store.list('org_acme'))[0]!.wrappedKey).toMatch(/^[A-Za-z0-9_-]{80}$/);
    expect(await enc.decryptRecord(stored!)).toEqual(interaction({ interactionId: stored!.interactionId }));
  });

  it('keeps each org on its own keys', async () => {
    const enc = service(createMemoryKeyStore(), K1);
    const [a, b] = await enc.encryptRecords([interaction(), interaction({ orgId: 'org_beta' })]);
    expect(await enc.decryptRecords([a!, b!])).toEqual([interaction({ interactionId: a!.interactionId }), interaction({ interactionId: b!.interactionId, orgId: 'org_beta' })]);
    const err = await rejection(enc.decryptRecord({ ...b!, orgId: 'org_acme' }));
    expect(err.code).toBe('AUDITRAIL_ERR_DECRYPT_FAILED');
  });

  it('gives two processes racing to create the first key the same key', async () => {
    const store = createMemoryKeyStore();
    const [p1, p2] = [service(store, K1), service(store, K1)];
    const [[a], [b]] = await Promise.all([p1.encryptRecords([interaction()]), p2.encryptRecords([interaction()])]);
    expect((await store.list('org_acme')).map((k) => k.version)).toEqual([1]);
    expect((await p1.decryptRecord(b!)).question).toBe(interaction().question);
    expect((await p2.decryptRecord(a!)).question).toBe(interaction().question);
  });
});

describe('field encryption: data key rotation', () => {
  it('encrypts new rows under the new version while rows under the old one still decrypt, unchanged', async () => {
    const enc = service(createMemoryKeyStore(), K1);
    const [old] = await enc.encryptRecords([interaction()]);
    expect(await enc.rotateDataKey('org_acme')).toBe(2);
    const [fresh] = await enc.encryptRecords([interaction({ question: '轮换之后 🔑' })]);
    expect([versionOf(old!), versionOf(fresh!)]).toEqual([1, 2]);
    const back = await enc.decryptRecords([old!, fresh!]);
    expect(back.map((r) => r.question)).toEqual([interaction().question, '轮换之后 🔑']);
    expect((await enc.describeKeys('org_acme')).map((k) => [k.version, k.active])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('is seen by another process once its key cache expires, and at once for a record naming a newer version', async () => {
    const store = createMemoryKeyStore();
    const time = clock();
    const [p1, p2] = [service(store, K1, { now: time.now, keyCacheTtlMs: 60_000 }), service(store, K1, { now: time.now, keyCacheTtlMs: 60_000 })];
    await p2.encryptRecords([interaction()]); // p2 caches version 1
    await p1.rotateDataKey('org_acme');
    time.advance(59_000);
    expect(versionOf((await p2.encryptRecords([interaction()]))[0]!)).toBe(1);
    time.advance(1_000);
    expect(versionOf((await p2.encryptRecords([interaction()]))[0]!)).toBe(2);
    const p3 = service(store, K1, { now: time.now, keyCacheTtlMs: 60_000 });
    await p3.encryptRecords([interaction()]); // p3 caches versions 1 and 2
    await p1.rotateDataKey('org_acme');
    const [byP1] = await p1.encryptRecords([interaction()]);
    expect(versionOf(byP1!)).toBe(3);
    expect((await p3.decryptRecord(byP1!)).question).toBe(interaction().question);
  });
});

describe('field encryption: master key', () => {
  it('rotates by re-wrapping the data keys only: every row decrypts under the new master key alone', async () => {
    const store = createMemoryKeyStore();
    const before = service(store, K1);
    const rows = [...(await before.encryptRecords([interaction(), event()])), ...(await before.encryptRecords([interaction({ orgId: 'org_beta' })]))];
    await before.rotateDataKey('org_acme');
    rows.push(...(await before.encryptRecords([interaction()])));
    const during = service(store, K2, { previousMasterKeys: [K1] });
    expect((await during.decryptRecords(rows)).map((r) => r.orgId)).toEqual(['org_acme', 'org_acme', 'org_beta', 'org_acme']);
    const progress: number[] = [];
    expect(await during.rewrapDataKeys({ batchSize: 2, onProgress: (n) => progress.push(n) })).toEqual({ rewrapped: 3, current: 0, failed: [] });
    expect(progress.at(-1)).toBe(3);
    expect((await store.page(null, 10)).map((k) => k.kekId)).toEqual([K2.id, K2.id, K2.id]);
    const after = service(store, K2);
    expect(await after.decryptRecords(rows)).toEqual(await during.decryptRecords(rows));
    expect(await after.rewrapDataKeys()).toEqual({ rewrapped: 0, current: 3, failed: [] });
  });

  it('fails clearly with the wrong master key, naming the one needed and never creating another data key', async () => {
    const store = createMemoryKeyStore();
    const [stored] = await service(store, K1).encryptRecords([interaction()]);
    const wrong = service(store, K3);
    const read = await rejection(wrong.decryptRecord(stored!));
    expect(read.code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
    expect(read.message).toContain(`wrapped by master key ${K1.id}, which is not configured (configured: ${K3.id})`);
    const write = await rejection(wrong.encryptRecords([interaction()]));
    expect(write.code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
    expect((await store.list('org_acme')).map((k) => k.version)).toEqual([1]);
    expect(await wrong.rewrapDataKeys()).toEqual({ rewrapped: 0, current: 0, failed: [{ orgId: 'org_acme', version: 1, reason: expect.stringContaining(K1.id) }] });
  });

  it('fails clearly when a wrapped key row was damaged', async () => {
    const store = createMemoryKeyStore();
    const enc = service(store, K1);
    const [stored] = await enc.encryptRecords([interaction()]);
    const row = (await store.list('org_acme'))[0]!;
    const damaged = `${row.wrappedKey!.slice(0, 20)}${row.wrappedKey![20] === 'A' ? 'B' : 'A'}${row.wrappedKey!.slice(21)}`;
    await store.rewrap('org_acme', 1, K1.id, { kekId: K1.id, wrappedKey: damaged });
    const err = await rejection(service(store, K1).decryptRecord(stored!));
    expect(err.message).toContain(`does not unwrap under master key ${K1.id}: the master key is wrong or the key row was damaged`);
  });

  it('without a master key leaves new records in clear and refuses to read encrypted ones', async () => {
    const store = createMemoryKeyStore();
    const [stored] = await service(store, K1).encryptRecords([interaction()]);
    const none = service(store);
    expect(none.encrypting).toBe(false);
    const plain = interaction();
    expect((await none.encryptRecords([plain]))[0]).toBe(plain);
    const err = await rejection(none.decryptRecord(stored!));
    expect(err.code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
    expect(err.message).toContain('no master key is configured');
  });

  it('shows no key material in the service, its options or its errors', async () => {
    const store = createMemoryKeyStore();
    const enc = service(store, K1, { previousMasterKeys: [K2] });
    const [stored] = await enc.encryptRecords([interaction()]);
    const err = await rejection(service(store, K3).decryptRecord(stored!));
    const shown = [inspect(enc, { depth: 8, showHidden: true }), inspect(K1, { showHidden: true }), JSON.stringify(err), err.message, inspect(err)].join('\n');
    for (const n of [1, 2, 3]) {
      for (const form of [kekBytes(n).toString('hex'), kekBytes(n).toString('base64'), kekBytes(n).toString('base64url')]) expect(shown).not.toContain(form);
    }
  });
});

describe('field encryption: destroying a data key version', () => {
  it('makes its rows unreadable for good while other versions still decrypt, and never reuses its number', async () => {
    const store = createMemoryKeyStore();
    const enc = service(store, K1);
    const [v1] = await enc.encryptRecords([interaction()]);
    await enc.rotateDataKey('org_acme');
    const [v2] = await enc.encryptRecords([interaction()]);
    expect(await enc.destroyDataKey('org_acme', 1)).toBe(true);
    const err = await rejection(enc.decryptRecord(v1!));
    expect(err.code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
    expect(err.message).toContain('data key version 1 of org "org_acme" was destroyed');
    expect((await enc.decryptRecord(v2!)).question).toBe(interaction().question);
    const listed = await enc.decryptRecords([v1!, v2!], { onFailure: 'mark' });
    expect(listed[0]!.question).toBe('[ENCRYPTION_KEY_UNAVAILABLE]');
    expect(listed[0]!.metadata[DECRYPT_DIAGNOSTIC_KEY]).toEqual({ failures: expect.arrayContaining([{ path: 'question', code: 'AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE', keyVersion: 1 }]) });
    expect(listed[1]!.question).toBe(interaction().question);
    await enc.destroyDataKey('org_acme', 2);
    expect(versionOf((await enc.encryptRecords([interaction()]))[0]!)).toBe(3);
  });
});

describe('field encryption: configuration', () => {
  it('encrypts only the orgs listed, and says where search is unavailable', async () => {
    const enc = service(createMemoryKeyStore(), K1, { orgs: ['org_acme'] });
    const [a, b] = await enc.encryptRecords([interaction(), interaction({ orgId: 'org_beta' })]);
    expect([isEnvelope(a!.question), isEnvelope(b!.question)]).toEqual([true, false]);
    expect([enc.searchAvailable('org_acme'), enc.searchAvailable('org_beta'), enc.searchAvailable()]).toEqual([false, true, false]);
    const noSearchFields = service(createMemoryKeyStore(), K1, { fields: ['thoughts[].content', 'toolCalls[].input'] });
    expect([noSearchFields.searchAvailable('org_acme'), noSearchFields.searchAvailable()]).toEqual([true, true]);
  });

  it('reads rows encrypted under fields no longer configured', async () => {
    const store = createMemoryKeyStore();
    const [stored] = await service(store, K1, { fields: ['metadata', 'question'] }).encryptRecords([event()]);
    expect(stored!.metadata).toEqual({ $encrypted: expect.stringMatching(/^enc:v1:1:/) });
    expect(await service(store, K1, { fields: ['question'] }).decryptRecord(stored!)).toEqual(event({ eventId: stored!.eventId }));
  });

  it('refuses bad options, listing every problem', () => {
    let err: unknown;
    try {
      createFieldEncryption({ keyStore: {} as KeyStore, masterKey: K1, previousMasterKeys: [K1], fields: ['question', 'answer' as never], keyCacheTtlMs: -1 });
    } catch (e) {
      err = e;
    }
    expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
    expect((err as AuditrailError).issues.map((i) => i.path).sort()).toEqual(['fields.1', 'keyCacheTtlMs', 'keyStore']);
  });

  it('refuses the same master key as active and previous', () => {
    expect(() => createFieldEncryption({ keyStore: createMemoryKeyStore(), masterKey: K1, previousMasterKeys: [createMasterKey(kekBytes(1))] })).toThrow(/previousMasterKeys/);
  });
});

describe('field encryption: key store failures', () => {
  const down: KeyStore = {
    name: 'down',
    list: () => Promise.reject(new Error('connection refused')),
    insert: () => Promise.reject(new Error('connection refused')),
    rewrap: () => Promise.reject(new Error('connection refused')),
    destroy: () => Promise.reject(new Error('connection refused')),
    page: () => Promise.reject(new Error('connection refused')),
  };

  it('refuses to encrypt (nothing goes out in clear) and to decrypt, naming the store and the cause', async () => {
    const enc = service(down, K1);
    const write = await rejection(enc.encryptRecords([interaction()]));
    expect(write.code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
    expect(write.message).toContain('the key store (down) could not be read: connection refused');
    const [stored] = await service(createMemoryKeyStore(), K1).encryptRecords([interaction()]);
    expect((await rejection(enc.decryptRecord(stored!))).code).toBe('AUDITRAIL_ERR_ENCRYPTION_KEY_UNAVAILABLE');
  });

  it('reads plaintext records without asking the store', async () => {
    const plain = [interaction(), event()];
    expect(await service(down, K1).decryptRecords(plain)).toEqual(plain);
  });
});

import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { MemoryStorage } from '../core/memory-storage.js';
import { parseQuery } from '../core/query.js';
import type { Storage } from '../core/storage.js';
import { createEncryptingStorage } from './encrypting-storage.js';
import { isEnvelope } from './envelope.js';
import { createFieldEncryption } from './field-encryption.js';
import { createMasterKey } from './master-key.js';
import { createMemoryKeyStore } from './memory-key-store.js';
import { event, interaction } from './test-support/records.js';

const masterKey = createMasterKey(Buffer.alloc(32, 7));

function setup(fields?: Parameters<typeof createFieldEncryption>[0]['fields']) {
  const inner = new MemoryStorage();
  const encryption = createFieldEncryption({ masterKey, keyStore: createMemoryKeyStore(), ...(fields ? { fields } : {}) });
  return { inner, encryption, storage: createEncryptingStorage(inner, encryption) };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('encrypting storage', () => {
  it('stores only ciphertext and reads back the records as they were written', async () => {
    const { inner, storage } = setup();
    const i = interaction();
    const e = event();
    expect(await storage.append([i, e])).toMatchObject({ accepted: 2, duplicates: 0 });
    const raw = await inner.getInteraction(i.interactionId, 'org_acme');
    expect(isEnvelope(raw!.question)).toBe(true);
    expect(JSON.stringify(raw)).not.toContain('nginx 一直重启');
    expect(await storage.getInteraction(i.interactionId, 'org_acme')).toEqual(i);
    expect((await storage.queryInteractions(parseQuery({ orgId: 'org_acme' }))).items).toEqual([i]);
    expect((await storage.queryEvents(parseQuery({ orgId: 'org_acme' }))).items).toEqual([e]);
    expect(await storage.getEvent(e.eventId)).toEqual(e);
    expect(await storage.getEvent('0190a5c4-1f2e-7abc-8def-000000000000')).toBeUndefined();
  });

  it('still deduplicates a record sent twice (ids, not ciphertexts, are the idempotency keys)', async () => {
    const { storage } = setup();
    const i = interaction();
    await storage.append([i]);
    expect(await storage.append([i])).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('keeps the filters that do not read encrypted text working', async () => {
    const { storage } = setup();
    await storage.append([interaction({ model: 'a' }), interaction({ model: 'b', sessionId: 'sess_2' })]);
    expect(await storage.countInteractions(parseQuery({ orgId: 'org_acme', model: 'b' }))).toBe(1);
    expect((await storage.querySessions(parseQuery({ orgId: 'org_acme' }))).items.map((s) => s.sessionId).sort()).toEqual(['sess_1', 'sess_2']);
  });

  it('refuses a search over encrypted questions and answers instead of answering from ciphertext', async () => {
    const { storage } = setup();
    await storage.append([interaction()]);
    for (const query of [{ orgId: 'org_acme', search: 'nginx' }, { search: 'nginx' }]) {
      const err = await rejection(storage.queryInteractions(parseQuery(query)));
      expect(isAuditrailError(err, 'SEARCH_UNAVAILABLE')).toBe(true);
      expect(isAuditrailError(await rejection(storage.countInteractions(parseQuery(query))), 'SEARCH_UNAVAILABLE')).toBe(true);
    }
  });

  it('searches as before when question and answer are left in clear', async () => {
    const { storage } = setup(['thoughts[].content', 'toolCalls[].input', 'toolCalls[].observation']);
    await storage.append([interaction()]);
    const page = await storage.queryInteractions(parseQuery({ orgId: 'org_acme', search: 'nginx' }));
    expect(page.items.map((i) => i.thoughts[0]!.content)).toEqual(['先看 Pod 状态 🤔']);
  });

  it('keeps the row-level security seam of the inner storage', async () => {
    const { inner, encryption } = setup();
    const seen: string[] = [];
    const scoped = Object.assign(inner, {
      forOrg: (orgId: string): Storage => {
        seen.push(orgId);
        return inner;
      },
    });
    const storage = createEncryptingStorage(scoped, encryption) as Storage & { forOrg(orgId: string): Storage };
    const i = interaction();
    await storage.forOrg('org_acme').append([i]);
    expect(seen).toEqual(['org_acme']);
    expect(await storage.forOrg('org_acme').getInteraction(i.interactionId, 'org_acme')).toEqual(i);
    expect(isEnvelope((await inner.getInteraction(i.interactionId))!.question)).toBe(true);
  });

  it('marks undecryptable fields in list reads when asked, and fails single reads', async () => {
    const { inner, encryption } = setup();
    const storage = createEncryptingStorage(inner, encryption, { listFailures: 'mark' });
    const i = interaction();
    await storage.append([i]);
    const other = interaction();
    await storage.append([other]);
    const stolen = (await inner.getInteraction(other.interactionId))!.question;
    // the reference storage copies records in and out: write a tampered copy under a fresh id
    const tampered = { ...(await inner.getInteraction(i.interactionId))!, interactionId: interaction().interactionId, question: stolen };
    await inner.append([tampered]);
    const page = await storage.queryInteractions(parseQuery({ orgId: 'org_acme' }));
    expect(page.items.filter((x) => x.question === '[DECRYPT_FAILED]').map((x) => x.interactionId)).toEqual([tampered.interactionId]);
    expect(isAuditrailError(await rejection(storage.getInteraction(tampered.interactionId)), 'DECRYPT_FAILED')).toBe(true);
  });
});

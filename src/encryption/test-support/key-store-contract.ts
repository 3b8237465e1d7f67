import { describe, expect, it } from 'vitest';
import type { KeyStore } from '../key-store.js';

/** The behaviour every KeyStore shares; each implementation's test file runs it on a fresh store. */
export function keyStoreContract(name: string, open: () => Promise<KeyStore>): void {
  describe(`key store contract: ${name}`, () => {
    const key = (orgId: string, version: number, kekId = 'kek_a') => ({ orgId, version, kekId, wrappedKey: `wrapped-${orgId}-${version}-${kekId}` });

    it('lists an org\'s versions in ascending order, and nothing of other orgs', async () => {
      const store = await open();
      expect(await store.insert(key('org_a', 2))).toBe(true);
      expect(await store.insert(key('org_a', 1))).toBe(true);
      expect(await store.insert(key('org_b', 1))).toBe(true);
      const rows = await store.list('org_a');
      expect(rows.map((r) => [r.orgId, r.version, r.kekId, r.wrappedKey, r.destroyedAt])).toEqual([
        ['org_a', 1, 'kek_a', 'wrapped-org_a-1-kek_a', null],
        ['org_a', 2, 'kek_a', 'wrapped-org_a-2-kek_a', null],
      ]);
      expect(Number.isNaN(Date.parse(rows[0]!.createdAt))).toBe(false);
      expect(await store.list('org_none')).toEqual([]);
    });

    it('keeps the first insert of a version and answers false to the second', async () => {
      const store = await open();
      expect(await store.insert(key('org_c', 1, 'kek_first'))).toBe(true);
      expect(await store.insert(key('org_c', 1, 'kek_second'))).toBe(false);
      expect((await store.list('org_c')).map((r) => r.kekId)).toEqual(['kek_first']);
    });

    it('lets exactly one of many concurrent inserts of one version win', async () => {
      const store = await open();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.insert(key('org_race', 1, `kek_${i}`))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await store.list('org_race')).map((r) => r.kekId)).toEqual([`kek_${winner}`]);
    });

    it('re-wraps only while the key is still wrapped by the expected master key', async () => {
      const store = await open();
      await store.insert(key('org_d', 1, 'kek_old'));
      expect(await store.rewrap('org_d', 1, 'kek_other', { kekId: 'kek_new', wrappedKey: 'w1' })).toBe(false);
      expect(await store.rewrap('org_d', 1, 'kek_old', { kekId: 'kek_new', wrappedKey: 'w2' })).toBe(true);
      expect(await store.rewrap('org_d', 1, 'kek_old', { kekId: 'kek_newer', wrappedKey: 'w3' })).toBe(false);
      expect(await store.rewrap('org_d', 9, 'kek_old', { kekId: 'kek_new', wrappedKey: 'w4' })).toBe(false);
      const [row] = await store.list('org_d');
      expect([row!.kekId, row!.wrappedKey]).toEqual(['kek_new', 'w2']);
    });

    it('destroys a version into a tombstone that keeps its number taken', async () => {
      const store = await open();
      await store.insert(key('org_e', 1));
      await store.insert(key('org_e', 2));
      expect(await store.destroy('org_e', 1)).toBe(true);
      expect(await store.destroy('org_e', 1)).toBe(false);
      expect(await store.destroy('org_e', 7)).toBe(false);
      const rows = await store.list('org_e');
      expect(rows[0]).toMatchObject({ version: 1, kekId: null, wrappedKey: null });
      expect(rows[0]!.destroyedAt).not.toBeNull();
      expect(rows[1]).toMatchObject({ version: 2, kekId: 'kek_a', destroyedAt: null });
      expect(await store.insert(key('org_e', 1))).toBe(false);
      expect(await store.rewrap('org_e', 1, 'kek_a', { kekId: 'kek_b', wrappedKey: 'w' })).toBe(false);
    });

    it('pages through the live keys of every org in (org, version) order', async () => {
      const store = await open();
      const prefix = `pg_${Math.random().toString(36).slice(2, 8)}`;
      for (const org of ['b', 'a', 'c']) for (const v of [1, 2]) await store.insert(key(`${prefix}_${org}`, v));
      await store.destroy(`${prefix}_b`, 1);
      const seen: string[] = [];
      let after: { orgId: string; version: number } | null = null;
      for (;;) {
        const page = await store.page(after, 2);
        seen.push(...page.filter((r) => r.orgId.startsWith(prefix)).map((r) => `${r.orgId.slice(prefix.length + 1)}${r.version}`));
        if (page.length < 2) break;
        after = { orgId: page[1]!.orgId, version: page[1]!.version };
      }
      expect(seen).toEqual(['a1', 'a2', 'b2', 'c1', 'c2']);
    });
  });
}

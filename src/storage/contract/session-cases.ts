import { describe, expect, it } from 'vitest';
import type { AuditQueryInput, Interaction, SessionSummary } from '../../core/index.js';
import { FIXTURE_START_MS, makeInteraction } from './fixtures.js';
import { ordered, q, walkPages, withStorage, type LoadedStorage, type OpenStorageUnderTest } from './support.js';

const sessionOrder = (s: SessionSummary) => ({ t: s.firstSeen, id: s.sessionId });

/** Sessions summarized by hand from interactions (independent of core's summarizeSessions). */
function expectedSessions(interactions: readonly Interaction[]): SessionSummary[] {
  const groups = new Map<string, Interaction[]>();
  for (const i of interactions) {
    const k = `${i.orgId}/${i.sessionId}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  return [...groups.values()].map((list) => {
    const byTime = ordered(list, (i) => ({ t: i.timestamp, id: i.interactionId }), 'asc');
    const first = byTime[0]!;
    return {
      orgId: first.orgId,
      sessionId: first.sessionId,
      userId: byTime.find((i) => i.userId)?.userId ?? null,
      clientIp: byTime.find((i) => i.clientIp)?.clientIp ?? null,
      userAgent: byTime.find((i) => i.userAgent)?.userAgent ?? null,
      firstSeen: first.timestamp,
      lastSeen: byTime[byTime.length - 1]!.timestamp,
      interactionCount: list.length,
    };
  });
}

/** querySessions: summaries, filters, pagination, org isolation. */
export function sessionCases(loaded: () => LoadedStorage, open: OpenStorageUnderTest): void {
  describe('sessions', () => {
    /** Without orgId, the order of one session id in two orgs that start at the same instant is unspecified. */
    async function expectSessions(filter: AuditQueryInput, pred: (s: SessionSummary) => boolean): Promise<SessionSummary[]> {
      const { storage, data } = loaded();
      const want = ordered(expectedSessions(data.storedInteractions).filter(pred), sessionOrder);
      expect(want.length, 'the filter selects something').toBeGreaterThan(0);
      const page = await storage.querySessions(q({ ...filter, limit: 1000 }));
      if (filter.orgId !== undefined) expect(page.items).toEqual(want);
      else expect(page.items.slice().sort(byOrg)).toEqual(want.slice().sort(byOrg));
      return want;
    }
    const byOrg = (a: SessionSummary, b: SessionSummary) => `${a.orgId}/${a.sessionId}`.localeCompare(`${b.orgId}/${b.sessionId}`);

    it('summarizes each session of an org: first and last seen, count, user, client IP, user agent', async () => {
      const got = await expectSessions({ orgId: 'org_a' }, (s) => s.orgId === 'org_a');
      expect(got.find((s) => s.sessionId === 'sess-05')).toMatchObject({ userId: null, clientIp: null, userAgent: null });
      expect(got.find((s) => s.sessionId === 'sess-03')).toMatchObject({ userId: 'u_张伟', clientIp: '2001:db8::7', userAgent: 'OpsAgent CLI/2.0 🚀' });
    });

    it('keeps the same session id of two orgs apart', async () => {
      const all = await expectSessions({}, () => true);
      expect(all.filter((s) => s.sessionId === 'sess-01').map((s) => s.orgId).sort()).toEqual(['org_a', 'org_b']);
      const b = await expectSessions({ orgId: 'org_b', sessionId: 'sess-01' }, (s) => s.orgId === 'org_b' && s.sessionId === 'sess-01');
      expect(b).toHaveLength(1);
    });

    it('filters by user, and by time range on firstSeen', async () => {
      await expectSessions({ orgId: 'org_a', userId: 'u_alice' }, (s) => s.orgId === 'org_a' && s.userId === 'u_alice');
      const { data } = loaded();
      const firsts = expectedSessions(data.storedInteractions)
        .map((s) => s.firstSeen)
        .sort();
      const cut = firsts[Math.floor(firsts.length / 2)]!;
      await expectSessions({ from: cut }, (s) => Date.parse(s.firstSeen) >= Date.parse(cut));
      await expectSessions({ to: cut }, (s) => Date.parse(s.firstSeen) < Date.parse(cut));
    });

    it('paginates sessions of one org by cursor in both orders, and by offset', () =>
      withStorage(open, async ({ storage }) => {
        const records: Interaction[] = [];
        for (let s = 0; s < 11; s++) {
          // Sessions 0-5 start at the same instant: ties are broken by session id.
          const start = FIXTURE_START_MS + (s < 6 ? 0 : s * 60_000);
          for (let k = 0; k < 3; k++) records.push(makeInteraction({ sessionId: `s-${s}`, timestamp: new Date(start + k * 1000).toISOString() }));
        }
        records.push(makeInteraction({ sessionId: 's-0', orgId: 'org_b' }));
        await storage.append(records);
        const want = ordered(
          expectedSessions(records.filter((r) => r.orgId === 'org_a')),
          sessionOrder,
        );
        expect(want).toHaveLength(11);
        const desc = await walkPages((x) => storage.querySessions(x), { orgId: 'org_a', limit: 2 });
        expect(desc).toEqual(want);
        const asc = await walkPages((x) => storage.querySessions(x), { orgId: 'org_a', limit: 3, order: 'asc' });
        expect(asc).toEqual(want.slice().reverse());
        const byOffset = await storage.querySessions(q({ orgId: 'org_a', offset: 4, limit: 3 }));
        expect(byOffset.items).toEqual(want.slice(4, 7));
        expect(want.every((s) => s.interactionCount === 3)).toBe(true);
      }));
  });
}

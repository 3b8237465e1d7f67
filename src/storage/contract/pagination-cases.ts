import { describe, expect, it } from 'vitest';
import { encodeCursor, type AuditQuery, type Page } from '../../core/index.js';
import { FIXTURE_START_MS, makeEvent, makeInteraction } from './fixtures.js';
import { evKey, expectAuditrailError, ids, ixKey, ordered, q, walkPages, withStorage, type LoadedStorage, type OpenStorageUnderTest } from './support.js';

/** Keyset pagination, offset/limit, forged cursors. */
export function paginationCases(loaded: () => LoadedStorage, open: OpenStorageUnderTest): void {
  describe('pagination', () => {
    for (const order of ['desc', 'asc'] as const) {
      it(`walks every event exactly once by cursor, ${order}`, async () => {
        const { storage, data } = loaded();
        const walked = await walkPages((x) => storage.queryEvents(x), { limit: 7, order });
        expect(ids(walked)).toEqual(ids(ordered(data.storedEvents, evKey, order)));
      });

      it(`walks every interaction of one org exactly once by cursor, ${order}`, async () => {
        const { storage, data } = loaded();
        const walked = await walkPages((x) => storage.queryInteractions(x), { limit: 9, order, orgId: 'org_a' });
        const want = ordered(
          data.storedInteractions.filter((i) => i.orgId === 'org_a'),
          ixKey,
          order,
        );
        expect(ids(walked)).toEqual(ids(want));
      });
    }

    it('keeps a stable (timestamp, id) order when many records share one timestamp', () =>
      withStorage(open, async ({ storage }) => {
        const ts = new Date(FIXTURE_START_MS + 5000).toISOString();
        const events = Array.from({ length: 40 }, () => makeEvent({ timestamp: ts }));
        const interactions = Array.from({ length: 23 }, () => makeInteraction({ timestamp: ts }));
        await storage.append([...events.slice(0, 20), ...interactions, ...events.slice(20)]);
        for (const order of ['asc', 'desc'] as const) {
          const e = await walkPages((x) => storage.queryEvents(x), { limit: 3, order });
          expect(ids(e)).toEqual(ids(ordered(events, evKey, order)));
          const i = await walkPages((x) => storage.queryInteractions(x), { limit: 4, order });
          expect(ids(i)).toEqual(ids(ordered(interactions, ixKey, order)));
        }
      }));

    it('does not repeat or skip records appended while paginating', () =>
      withStorage(open, async ({ storage }) => {
        const ts = (s: number) => new Date(FIXTURE_START_MS + s * 1000).toISOString();
        const early = Array.from({ length: 10 }, (_, k) => makeEvent({ timestamp: ts(k) }));
        await storage.append(early);
        const first = await storage.queryEvents(q({ limit: 4, order: 'asc' }));
        // Newer records land after the cursor; they are walked, and nothing before is repeated.
        const late = Array.from({ length: 3 }, (_, k) => makeEvent({ timestamp: ts(100 + k) }));
        await storage.append(late);
        const rest = await walkPages((x) => storage.queryEvents(x), { limit: 4, order: 'asc', cursor: first.nextCursor! });
        expect([...ids(first.items), ...ids(rest)]).toEqual(ids(ordered([...early, ...late], evKey, 'asc')));
      }));

    it('pages by offset and limit for compatibility', async () => {
      const { storage, data } = loaded();
      const all = ordered(data.storedEvents, evKey);
      const page = await storage.queryEvents(q({ offset: 10, limit: 5 }));
      expect(ids(page.items)).toEqual(ids(all.slice(10, 15)));
      const asc = await storage.queryInteractions(q({ offset: 3, limit: 4, order: 'asc', orgId: 'org_b' }));
      const wantAsc = ordered(
        data.storedInteractions.filter((i) => i.orgId === 'org_b'),
        ixKey,
        'asc',
      ).slice(3, 7);
      expect(ids(asc.items)).toEqual(ids(wantAsc));
      const past = await storage.queryEvents(q({ offset: all.length + 5 }));
      expect(past).toEqual({ items: [], nextCursor: null });
      const tail = await storage.queryEvents(q({ offset: all.length - 2, limit: 5 }));
      expect(ids(tail.items)).toEqual(ids(all.slice(-2)));
      expect(tail.nextCursor).toBeNull();
    });

    it('answers a full last page with no next cursor', async () => {
      const { storage, data } = loaded();
      const n = data.events.length;
      const page = await storage.queryEvents(q({ limit: n }));
      expect(page.items.length).toBe(n);
      expect(page.nextCursor).toBeNull();
      const short = await storage.queryEvents(q({ limit: n - 1 }));
      expect(short.nextCursor).not.toBeNull();
    });

    it('rejects a forged or garbled cursor with CURSOR_INVALID', async () => {
      const { storage } = loaded();
      const forged = [
        'not-a-cursor!',
        Buffer.from('{"t":"2026-01-15T00:00:00Z"}').toString('base64url'),
        Buffer.from('["yesterday","x"]').toString('base64url'),
        Buffer.from('[1,2]').toString('base64url'),
      ];
      const reads: ((x: AuditQuery) => Promise<Page<unknown>>)[] = [
        (x) => storage.queryEvents(x),
        (x) => storage.queryInteractions(x),
        (x) => storage.querySessions(x),
      ];
      for (const cursor of forged) for (const read of reads) await expectAuditrailError(read(q({ cursor })), 'CURSOR_INVALID');
    });

    it('accepts a well-formed cursor for a position that holds no record', async () => {
      const { storage, data } = loaded();
      const all = ordered(data.storedEvents, evKey);
      const cursor = encodeCursor({ t: all[20]!.timestamp, id: 'ffffffff-ffff-7fff-bfff-ffffffffffff' });
      const page = await storage.queryEvents(q({ cursor, limit: 1000 }));
      expect(ids(page.items)).toEqual(ids(all.filter((e) => Date.parse(e.timestamp) < Date.parse(all[20]!.timestamp) || (e.timestamp === all[20]!.timestamp && e.eventId < 'ffffffff-ffff-7fff-bfff-ffffffffffff'))));
    });
  });
}

import { describe, expect, it } from 'vitest';
import { comparableRecord, expectedStored, FIXTURE_START_MS, makeEvent, makeInteraction, makeRichEvent, makeRichInteraction } from './fixtures.js';
import { comparable, evKey, ixKey, ordered, q, withStorage, type OpenStorageUnderTest } from './support.js';

/** append, get and query round trips; idempotency. */
export function appendCases(open: OpenStorageUnderTest): void {
  describe('append and read back', () => {
    it('returns an event exactly as parsed, with its timestamp in UTC milliseconds', () =>
      withStorage(open, async ({ storage }) => {
        const event = makeRichEvent();
        const result = await storage.append([event]);
        expect(result).toEqual({ results: [{ id: event.eventId, status: 'accepted' }], accepted: 1, duplicates: 0 });
        const got = await storage.getEvent(event.eventId);
        expect(got?.timestamp).toBe('2026-01-15T08:30:00.123Z');
        expect(comparableRecord(got!)).toEqual(comparableRecord(expectedStored(event)));
        const page = await storage.queryEvents(q());
        expect(comparable(page.items)).toEqual([comparableRecord(expectedStored(event))]);
        expect(page.nextCursor).toBeNull();
      }));

    it('returns an interaction with its thoughts, tool calls, metrics and usage in order', () =>
      withStorage(open, async ({ storage }) => {
        const interaction = makeRichInteraction();
        await storage.append([interaction]);
        const got = await storage.getInteraction(interaction.interactionId);
        const want = expectedStored(interaction);
        expect(got?.timestamp).toBe('2026-01-15T01:15:00.000Z');
        expect(got?.thoughts.map((t) => t.timestamp ?? null)).toEqual(['2026-01-15T01:15:01.500Z', null]);
        expect(got?.toolCalls.map((c) => c.name)).toEqual(['kubectl_get', 'kubectl_logs', 'kubectl_restart']);
        expect(comparableRecord(got!)).toEqual(comparableRecord(want));
        const page = await storage.queryInteractions(q());
        expect(comparable(page.items)).toEqual([comparableRecord(want)]);
      }));

    it('keeps events and interactions apart', () =>
      withStorage(open, async ({ storage }) => {
        const event = makeEvent();
        const interaction = makeInteraction();
        await storage.append([event, interaction]);
        expect((await storage.queryEvents(q())).items.map((e) => e.eventId)).toEqual([event.eventId]);
        expect((await storage.queryInteractions(q())).items.map((i) => i.interactionId)).toEqual([interaction.interactionId]);
        expect(await storage.getEvent(interaction.interactionId)).toBeUndefined();
        expect(await storage.getInteraction(event.eventId)).toBeUndefined();
        expect(await storage.countEvents(q())).toBe(1);
        expect(await storage.countInteractions(q())).toBe(1);
      }));

    it('answers an empty batch with no outcomes', () =>
      withStorage(open, async ({ storage }) => {
        expect(await storage.append([])).toEqual({ results: [], accepted: 0, duplicates: 0 });
        expect(await storage.countEvents(q())).toBe(0);
      }));

    it('returns undefined for an unknown id', () =>
      withStorage(open, async ({ storage }) => {
        await storage.append([makeEvent()]);
        expect(await storage.getEvent('01940000-0000-7000-8000-000000000000')).toBeUndefined();
        expect(await storage.getInteraction('01940000-0000-7000-8000-000000000000')).toBeUndefined();
      }));

    it('is not changed by mutating the appended input or a returned record', () =>
      withStorage(open, async ({ storage }) => {
        const event = makeRichEvent();
        const want = structuredClone(comparableRecord(expectedStored(event)));
        await storage.append([event]);
        event.actionParams.replicas = 99;
        const first = await storage.getEvent(event.eventId);
        first!.metadata.trace = 'changed';
        expect(comparableRecord((await storage.getEvent(event.eventId))!)).toEqual(want);
      }));

    it('stores a large batch whole, in (timestamp, id) order on read', () =>
      withStorage(open, async ({ storage }) => {
        const events = Array.from({ length: 250 }, (_, i) => makeEvent({ timestamp: new Date(FIXTURE_START_MS + (i % 10) * 1000).toISOString() }));
        const result = await storage.append(events);
        expect(result.accepted).toBe(250);
        const all = await storage.queryEvents(q({ limit: 1000, order: 'asc' }));
        expect(all.items.map((e) => e.eventId)).toEqual(ordered(events, evKey, 'asc').map((e) => e.eventId));
      }));
  });

  describe('idempotency on the record id', () => {
    it('stores a record sent twice in two batches once and reports the second as duplicate', () =>
      withStorage(open, async ({ storage }) => {
        const a = makeEvent();
        const b = makeInteraction();
        expect((await storage.append([a, b])).accepted).toBe(2);
        const again = await storage.append([b, a]);
        expect(again).toEqual({
          results: [
            { id: b.interactionId, status: 'duplicate' },
            { id: a.eventId, status: 'duplicate' },
          ],
          accepted: 0,
          duplicates: 2,
        });
        expect(await storage.countEvents(q())).toBe(1);
        expect(await storage.countInteractions(q())).toBe(1);
      }));

    it('stores a record repeated within one batch once, with outcomes in input order', () =>
      withStorage(open, async ({ storage }) => {
        const a = makeEvent();
        const b = makeEvent();
        const c = makeInteraction();
        const result = await storage.append([a, b, a, c, c, b]);
        expect(result.results).toEqual([
          { id: a.eventId, status: 'accepted' },
          { id: b.eventId, status: 'accepted' },
          { id: a.eventId, status: 'duplicate' },
          { id: c.interactionId, status: 'accepted' },
          { id: c.interactionId, status: 'duplicate' },
          { id: b.eventId, status: 'duplicate' },
        ]);
        expect(result.accepted).toBe(3);
        expect(result.duplicates).toBe(3);
        expect(await storage.countEvents(q())).toBe(2);
        expect(await storage.countInteractions(q())).toBe(1);
      }));

    it('keeps the first version when a different record reuses an id', () =>
      withStorage(open, async ({ storage }) => {
        const first = makeEvent({ actionName: 'first' });
        const second = { ...first, actionName: 'second' };
        await storage.append([first]);
        expect((await storage.append([second])).results).toEqual([{ id: first.eventId, status: 'duplicate' }]);
        expect((await storage.getEvent(first.eventId))?.actionName).toBe('first');
      }));

    it('accepts new records next to duplicates in the same batch', () =>
      withStorage(open, async ({ storage }) => {
        const old = makeInteraction();
        await storage.append([old]);
        const fresh = makeInteraction({ timestamp: new Date(FIXTURE_START_MS + 1).toISOString() });
        const result = await storage.append([fresh, old]);
        expect(result.results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
        const page = await storage.queryInteractions(q());
        expect(page.items.map((i) => i.interactionId)).toEqual(ordered([old, fresh], ixKey).map((i) => i.interactionId));
      }));
  });
}

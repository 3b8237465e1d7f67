import { describe, expect, it } from 'vitest';
import { parseAnalyticsQuery } from '../../core/index.js';
import { comparableRecord, expectedStored, generateDataset, makeEvent, makeInteraction } from './fixtures.js';
import { comparable, evKey, expectAuditrailError, ixKey, ordered, q, withStorage, type OpenStorageUnderTest } from './support.js';

/** close() and durability across reopen. */
export function lifecycleCases(open: OpenStorageUnderTest): void {
  describe('lifecycle', () => {
    it('rejects every operation after close() with STORAGE_CLOSED, and close() twice is fine', () =>
      withStorage(open, async ({ storage }) => {
        const event = makeEvent();
        await storage.append([event]);
        await storage.close();
        await storage.close();
        await expectAuditrailError(storage.append([makeEvent()]), 'STORAGE_CLOSED');
        await expectAuditrailError(storage.queryEvents(q()), 'STORAGE_CLOSED');
        await expectAuditrailError(storage.countEvents(q()), 'STORAGE_CLOSED');
        await expectAuditrailError(storage.queryInteractions(q()), 'STORAGE_CLOSED');
        await expectAuditrailError(storage.countInteractions(q()), 'STORAGE_CLOSED');
        await expectAuditrailError(storage.getEvent(event.eventId), 'STORAGE_CLOSED');
        await expectAuditrailError(storage.getInteraction(event.eventId), 'STORAGE_CLOSED');
        await expectAuditrailError(storage.querySessions(q()), 'STORAGE_CLOSED');
        const analytics = parseAnalyticsQuery({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
        await expectAuditrailError(storage.analytics(analytics), 'STORAGE_CLOSED');
      }));

    it('has a name', () =>
      withStorage(open, ({ storage }) => {
        expect(typeof storage.name).toBe('string');
        expect(storage.name.length).toBeGreaterThan(0);
        return Promise.resolve();
      }));
  });

  describe('durability across reopen', () => {
    it('returns after reopening everything that was appended, and still deduplicates it', () =>
      withStorage(open, async ({ storage, reopen }, track) => {
        const data = generateDataset({ seed: 7, events: 60, interactions: 40 });
        for (let i = 0; i < data.records.length; i += 25) await storage.append(data.records.slice(i, i + 25));
        // Without reopen (memory) the same storage is read back: in-process durability only.
        if (reopen) await storage.close();
        const again = reopen ? track(await reopen()) : storage;
        const events = await again.queryEvents(q({ limit: 1000 }));
        expect(comparable(events.items)).toEqual(comparable(ordered(data.storedEvents, evKey)));
        const interactions = await again.queryInteractions(q({ limit: 1000 }));
        expect(comparable(interactions.items)).toEqual(comparable(ordered(data.storedInteractions, ixKey)));
        const result = await again.append(data.records.slice(0, 10));
        expect(result.duplicates).toBe(10);
        const fresh = makeInteraction();
        expect((await again.append([fresh])).accepted).toBe(1);
        if (reopen) await again.close();
        const third = reopen ? track(await reopen()) : again;
        expect(comparableRecord((await third.getInteraction(fresh.interactionId))!)).toEqual(comparableRecord(expectedStored(fresh)));
        expect(await third.countInteractions(q())).toBe(41);
      }));
  });
}

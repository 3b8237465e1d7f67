import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditQueryInput } from '../../core/index.js';
import { comparable, evKey, ids, ordered, q, type LoadedStorage } from './support.js';

/** Every event filter of the query model, with count equal to the query's results. */
export function eventQueryCases(loaded: () => LoadedStorage): void {
  /** Queries with `filter`, compares with the hand-filtered data set, and checks the count. */
  async function expectEvents(filter: AuditQueryInput, pred: (e: AuditEvent) => boolean): Promise<AuditEvent[]> {
    const { storage, data } = loaded();
    const want = ordered(data.storedEvents.filter(pred), evKey);
    expect(want.length, 'the filter selects something').toBeGreaterThan(0);
    const page = await storage.queryEvents(q({ ...filter, limit: 1000 }));
    expect(ids(page.items)).toEqual(ids(want));
    expect(page.nextCursor).toBeNull();
    expect(await storage.countEvents(q(filter))).toBe(want.length);
    return want;
  }

  describe('event queries', () => {
    it('returns every generated event exactly, newest first', async () => {
      const { storage, data } = loaded();
      const page = await storage.queryEvents(q({ limit: 1000 }));
      expect(comparable(page.items)).toEqual(comparable(ordered(data.storedEvents, evKey)));
      expect(await storage.countEvents(q())).toBe(data.events.length);
    });

    it('filters by org', async () => {
      const a = await expectEvents({ orgId: 'org_a' }, (e) => e.orgId === 'org_a');
      const b = await expectEvents({ orgId: 'org_b' }, (e) => e.orgId === 'org_b');
      expect(a.length + b.length).toBe(loaded().data.events.length);
      expect(await loaded().storage.countEvents(q({ orgId: 'org_none' }))).toBe(0);
    });

    it('filters by user, agent and session', async () => {
      await expectEvents({ userId: 'u_alice' }, (e) => e.userId === 'u_alice');
      await expectEvents({ userId: 'u_张伟' }, (e) => e.userId === 'u_张伟');
      await expectEvents({ agentId: 'agent_sql' }, (e) => e.agentId === 'agent_sql');
      const both = await expectEvents({ sessionId: 'sess-01' }, (e) => e.sessionId === 'sess-01');
      expect(new Set(both.map((e) => e.orgId)).size, 'sess-01 exists in both orgs').toBe(2);
      await expectEvents({ sessionId: 'sess-01', orgId: 'org_b' }, (e) => e.sessionId === 'sess-01' && e.orgId === 'org_b');
    });

    it('filters by interaction and action id', async () => {
      const { data } = loaded();
      const linked = data.storedEvents.find((e) => e.interactionId)!;
      await expectEvents({ interactionId: linked.interactionId! }, (e) => e.interactionId === linked.interactionId);
      await expectEvents({ actionId: data.storedEvents[5]!.actionId }, (e) => e.actionId === data.storedEvents[5]!.actionId);
    });

    it('filters by one or several event types', async () => {
      await expectEvents({ eventTypes: ['action_failed'] }, (e) => e.eventType === 'action_failed');
      await expectEvents({ eventTypes: ['approval_granted', 'approval_denied'] }, (e) => e.eventType === 'approval_granted' || e.eventType === 'approval_denied');
      await expectEvents({ eventTypes: 'action_started,action_completed' }, (e) => e.eventType === 'action_started' || e.eventType === 'action_completed');
    });

    it('filters by success, leaving out events without an outcome', async () => {
      const yes = await expectEvents({ success: true }, (e) => e.success === true);
      const no = await expectEvents({ success: 'false' }, (e) => e.success === false);
      expect(yes.length + no.length).toBeLessThan(loaded().data.events.length);
    });

    it('filters by action name', async () => {
      await expectEvents({ actionName: 'kubectl_restart' }, (e) => e.actionName === 'kubectl_restart');
      expect(await loaded().storage.countEvents(q({ actionName: 'kubectl' }))).toBe(0);
    });

    it('filters by time range: from inclusive, to exclusive, in any offset', async () => {
      const { data } = loaded();
      const mid = ordered(data.storedEvents, evKey, 'asc')[100]!.timestamp;
      const t = Date.parse(mid);
      const atMid = data.storedEvents.filter((e) => Date.parse(e.timestamp) === t).length;
      expect(atMid, 'several events share the boundary instant').toBeGreaterThan(0);
      const from = await expectEvents({ from: mid }, (e) => Date.parse(e.timestamp) >= t);
      const to = await expectEvents({ to: mid }, (e) => Date.parse(e.timestamp) < t);
      expect(from.length + to.length).toBe(data.events.length);
      const inOffset = new Date(t + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
      await expectEvents({ from: inOffset, to: new Date(t + 3_600_000).toISOString() }, (e) => Date.parse(e.timestamp) >= t && Date.parse(e.timestamp) < t + 3_600_000);
      expect(await loaded().storage.countEvents(q({ from: mid, to: mid }))).toBe(0);
    });

    it('combines filters with AND', async () => {
      const { data } = loaded();
      const from = ordered(data.storedEvents, evKey, 'asc')[40]!.timestamp;
      await expectEvents(
        { orgId: 'org_a', eventTypes: ['action_completed', 'action_failed'], success: true, from },
        (e) => e.orgId === 'org_a' && (e.eventType === 'action_completed' || e.eventType === 'action_failed') && e.success === true && Date.parse(e.timestamp) >= Date.parse(from),
      );
    });

    it('ignores the filters that only apply to interactions', async () => {
      await expectEvents({ model: 'gpt-4o', status: 'error', provider: 'openai', cluster: 'prod-bj', search: 'nginx' }, () => true);
    });

    it('counts regardless of limit, offset and cursor', async () => {
      const { storage, data } = loaded();
      const first = await storage.queryEvents(q({ limit: 3 }));
      expect(await storage.countEvents(q({ limit: 3 }))).toBe(data.events.length);
      expect(await storage.countEvents(q({ limit: 3, offset: 10 }))).toBe(data.events.length);
      expect(await storage.countEvents(q({ limit: 3, cursor: first.nextCursor! }))).toBe(data.events.length);
    });
  });

  describe('org isolation on events', () => {
    it('gets an event only within its own org', async () => {
      const { storage, data } = loaded();
      const e = data.storedEvents.find((x) => x.orgId === 'org_b')!;
      expect((await storage.getEvent(e.eventId, 'org_b'))?.eventId).toBe(e.eventId);
      expect((await storage.getEvent(e.eventId))?.eventId).toBe(e.eventId);
      expect(await storage.getEvent(e.eventId, 'org_a')).toBeUndefined();
    });

    it('never returns another org’s events when orgId is set, whatever else is asked', async () => {
      const { storage, data } = loaded();
      const other = data.storedEvents.find((x) => x.orgId === 'org_b')!;
      const probes: AuditQueryInput[] = [
        { orgId: 'org_a', sessionId: other.sessionId },
        { orgId: 'org_a', actionId: other.actionId, userId: other.userId },
        { orgId: 'org_a', from: other.timestamp, limit: 1000 },
      ];
      for (const probe of probes) {
        const page = await storage.queryEvents(q({ ...probe, limit: 1000 }));
        expect(page.items.every((e) => e.orgId === 'org_a')).toBe(true);
      }
    });
  });
}

import { describe, expect, it } from 'vitest';
import { createMemoryStorage, parseQuery } from '../../core/index.js';
import { createAuditLogger } from '../../sdk/index.js';
import { DEMO_TURNS, runDemoAgent } from './demo-agent.js';

describe('demo agent', () => {
  it('records every turn with the seed-000 event sequence of each action', async () => {
    const storage = createMemoryStorage();
    const logger = createAuditLogger({ storage, flushOnExit: false, context: { orgId: 'demo', userId: 'alice', agentId: 'ops', sessionId: 's1' } });
    const ids = await runDemoAgent(logger);
    await logger.shutdown();

    expect(ids).toHaveLength(DEMO_TURNS.length);
    const interactions = (await storage.queryInteractions(parseQuery({ order: 'asc' }))).items;
    expect(interactions.map((i) => i.interactionId)).toEqual(ids);
    expect(interactions.map((i) => i.status)).toEqual(['success', 'success', 'success', 'error']);
    expect(interactions.map((i) => i.toolCalls.map((c) => c.status))).toEqual([['success'], ['success'], ['rejected'], ['error']]);

    const events = (await storage.queryEvents(parseQuery({ order: 'asc', limit: 1000 }))).items;
    const byAction = new Map<string, string[]>();
    for (const e of events) byAction.set(e.actionName, [...(byAction.get(e.actionName) ?? []), e.eventType]);
    expect(Object.fromEntries(byAction)).toEqual({
      kubectl_get_pods: ['action_started', 'action_completed'],
      rollout_restart: ['action_started', 'approval_requested', 'approval_granted', 'action_completed'],
      delete_namespace: ['action_started', 'approval_requested', 'approval_denied', 'action_rejected'],
      scale_deployment: ['action_started', 'action_failed'],
    });
    // every tool call links to its action events, and every event to its interaction
    for (const i of interactions) {
      for (const c of i.toolCalls) {
        const linked = events.filter((e) => e.actionId === c.actionId);
        expect(linked.length).toBeGreaterThanOrEqual(2);
        expect(linked.every((e) => e.interactionId === i.interactionId)).toBe(true);
      }
    }
    const denied = events.find((e) => e.eventType === 'approval_denied');
    expect(denied).toMatchObject({ approver: 'oncall-bob', severity: 'warning', approvalGranted: false });
    expect(interactions[2]!.finalAnswer).toContain('approval was denied');
  });
});

describe('demo seeding', () => {
  it('fills an org with two sessions of demo runs, and only that org', async () => {
    const { seedDemo } = await import('./seed-demo.js');
    const storage = createMemoryStorage();
    expect(await seedDemo(storage, 'default')).toBe(2 * DEMO_TURNS.length);
    const sessions = await storage.querySessions(parseQuery({ orgId: 'default' }));
    expect(sessions.items.map((s) => s.userId).sort()).toEqual(['alice', 'bob']);
    expect(await storage.countInteractions(parseQuery({ orgId: 'other' }))).toBe(0);
  });
});

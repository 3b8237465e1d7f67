import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Interaction } from '../../src/core/index.js';
import { createAuditLogger, createHttpExporter } from '../../src/sdk/index.js';
import { startEmbeddedAuditrail, type EmbeddedAuditrail } from '../../examples/ops-agent/embedded-auditrail.js';
import { QUESTIONS, runOpsAgent, type OpsAgentAnswer } from '../../examples/ops-agent/run-ops-agent.js';

// `npm run example:ops-agent` end to end: the agent's run goes through the HTTP exporter to a real
// auditrail server, and the server's query API returns complete interactions and their events.
describe('example: ops agent', () => {
  let auditrail: EmbeddedAuditrail;
  let answers: OpsAgentAnswer[];
  let interactions: Interaction[];
  let events: AuditEvent[];

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${auditrail.url}${path}`, { headers: { authorization: `Bearer ${auditrail.apiKey}` } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    auditrail = await startEmbeddedAuditrail({ AUDITRAIL_STORAGE_TYPE: 'memory' }, 'acme');
    const logger = createAuditLogger({ exporter: createHttpExporter({ url: auditrail.url, apiKey: auditrail.apiKey }), context: { orgId: 'acme', agentId: 'ops-agent' }, flushOnExit: false, onDiagnostic: () => {} });
    answers = (await runOpsAgent(logger)).answers;
    await logger.shutdown();
    interactions = (await get<{ items: Interaction[] }>('/v1/interactions?order=asc&limit=100')).items;
    events = (await get<{ items: AuditEvent[] }>('/v1/events?order=asc&limit=100')).items;
  });
  afterAll(() => auditrail.server.close());

  it('records one interaction per question, in one session, with who asked from where', () => {
    expect(interactions.map((i) => i.question)).toEqual([...QUESTIONS]);
    expect(interactions.map((i) => i.interactionId)).toEqual(answers.map((a) => a.interactionId));
    expect(new Set(interactions.map((i) => i.sessionId)).size).toBe(1);
    for (const i of interactions) {
      expect(i).toMatchObject({ orgId: 'acme', userId: 'alice', agentId: 'ops-agent', clientIp: '127.0.0.1', userAgent: 'ops-console/2.1 (example)', model: 'gpt-4o', provider: 'openai', cluster: 'prod-eu', status: 'success' });
      expect(i.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect(i.usage!.inputTokens).toBeGreaterThan(0);
      expect(i.metrics.some((m) => m.name === 'openai.chat.completions.create')).toBe(true);
    }
  });

  it('records the restart run: thoughts, both tool calls with their results, and the answer', () => {
    const i = interactions[0]!;
    expect(i.toolCalls.map((t) => [t.name, t.status, t.actionId])).toEqual([
      ['get_pods', 'success', 'call_pods'],
      ['restart_deployment', 'success', 'call_restart'],
    ]);
    expect(i.toolCalls[1]!.observation).toBe('deployment.apps/payments restarted');
    expect(i.thoughts.map((t) => t.content)).toContain('payments-7f9 is OOMKilled; a rolling restart should clear it.');
    expect(i.finalAnswer).toContain('I restarted the payments deployment');
    expect(i.totalDurationMs).toBeGreaterThanOrEqual(i.assistantDurationMs!);
  });

  it('records the approval trail: granted restart, denied delete, failed logs', () => {
    const trail = (actionId: string) => events.filter((e) => e.actionId === actionId).map((e) => e.eventType);
    expect(trail('call_restart')).toEqual(['action_started', 'approval_requested', 'approval_granted', 'action_completed']);
    expect(trail('call_delete')).toEqual(['action_started', 'approval_requested', 'approval_denied', 'action_rejected']);
    expect(trail('call_logs')).toEqual(['action_started', 'action_failed']);
    expect(events.find((e) => e.eventType === 'approval_denied')).toMatchObject({ approver: 'oncall:bob', reason: 'deleting staging-old needs a change ticket', userId: 'alice', interactionId: interactions[1]!.interactionId });
    expect(interactions[1]!.toolCalls).toEqual([expect.objectContaining({ name: 'delete_namespace', status: 'rejected' })]);
    expect(interactions[2]!.toolCalls).toEqual([expect.objectContaining({ name: 'get_logs', status: 'error' })]);
  });
});

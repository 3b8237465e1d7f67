import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditEventInput } from '../../core/audit-event.js';
import { uuidv7 } from '../../core/ids.js';
import type { Interaction, InteractionInput } from '../../core/interaction.js';
import { parseRecordOrThrow, type AuditRecord } from '../../core/record.js';
import { createAuditLogger } from '../../sdk/logger.js';
import { createOtlpExporter } from '../../sdk/otlp-exporter/index.js';
import { SERVER_AGENT_ID } from '../tenancy/access-audit.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';

let t: TestServer;
let baseUrl: string;
beforeEach(async () => {
  t = await startTestServer();
  baseUrl = await t.server.listen();
});
afterEach(async () => {
  await t.close();
});

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: bearer(t.keyA) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

const at = (s: number) => new Date(Date.parse('2026-04-02T08:00:00.000Z') + s).toISOString();

function fullInteraction(overrides: Partial<InteractionInput> = {}): InteractionInput {
  return {
    kind: 'interaction',
    interactionId: uuidv7(),
    timestamp: at(0),
    orgId: 'org_a',
    sessionId: 'sess-7',
    userId: 'alice',
    agentId: 'ops-agent',
    clientIp: '10.0.0.7',
    userAgent: 'Mozilla/5.0',
    question: 'why is the payments pod restarting?',
    model: 'gpt-4o',
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    cluster: 'prod-eu',
    thoughts: [
      { sequence: 0, content: 'look at the events first', timestamp: at(100) },
      { sequence: 1, content: 'OOMKilled means the limit is too low', timestamp: at(400) },
    ],
    toolCalls: [
      { sequence: 0, name: 'kubectl_describe', input: { pod: 'payments-1', namespace: 'prod' }, observation: { reason: 'OOMKilled', restarts: 7 }, durationMs: 40, startedAt: at(150), status: 'success', errorMessage: null, actionId: 'act-1' },
      { sequence: 1, name: 'shell', input: 'free text command', observation: 'text output', durationMs: 5, startedAt: at(200), status: 'error', errorMessage: 'exit 1', actionId: null },
      { sequence: 2, name: 'kubectl_delete_pod', input: { pod: 'payments-1' }, durationMs: 0, startedAt: at(300), status: 'rejected', errorMessage: 'denied by bob', actionId: 'act-2' },
      { sequence: 3, name: 'page_oncall', input: { team: 'payments' }, durationMs: 0, startedAt: at(350), status: 'pending', errorMessage: null, actionId: null },
    ],
    finalAnswer: 'It is OOMKilled: raise its memory limit to 512Mi.',
    status: 'timeout',
    errorMessage: 'gave up after 30s',
    totalDurationMs: 900,
    assistantDurationMs: 700,
    parseDurationMs: 12,
    metrics: [
      { name: 'llm', durationMs: 700 },
      { name: 'retrieval', durationMs: 80 },
    ],
    usage: { inputTokens: 120, outputTokens: 40, totalTokens: 160, reasoningTokens: 12, cachedInputTokens: 64 },
    metadata: { release: '2026.04', tags: ['k8s', 'oncall'] },
    ...overrides,
  };
}

function event(overrides: Partial<AuditEventInput>): AuditEventInput {
  return {
    kind: 'event',
    eventId: uuidv7(),
    eventType: 'action_started',
    timestamp: at(300),
    orgId: 'org_a',
    userId: 'alice',
    agentId: 'ops-agent',
    sessionId: 'sess-7',
    actionId: 'act-2',
    actionName: 'kubectl_delete_pod',
    actionParams: { pod: 'payments-1' },
    capabilityType: 'mcp_tool',
    capabilitySource: 'mcp',
    capabilityVersion: '1.2.0',
    mcpServerId: 'k8s-mcp',
    mcpServerName: 'Kubernetes MCP',
    requiresApproval: true,
    metadata: { ticket: 'CHG-42' },
    ...overrides,
  };
}

/** Top-level fields that are null read the same as absent ones (both mean "not recorded"). */
function withoutNulls<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null)) as Partial<T>;
}

/** What the store gives back for what was sent: the same, plus the OTLP provenance in metadata.otel. */
function sameRecord<T extends { metadata: Record<string, unknown> }>(original: T) {
  return withoutNulls({ ...original, metadata: { ...original.metadata, otel: expect.objectContaining({ signal: 'traces' }) } });
}

describe('createOtlpExporter → auditrail /v1/traces round trip', () => {
  it('gives back every field of interactions and action events', async () => {
    const interaction = parseRecordOrThrow(fullInteraction()) as Interaction;
    const bare = parseRecordOrThrow(fullInteraction({ userId: null, agentId: null, clientIp: null, userAgent: null, provider: null, baseUrl: null, cluster: null, thoughts: [], toolCalls: [], finalAnswer: null, status: 'success', errorMessage: null, assistantDurationMs: null, parseDurationMs: null, metrics: [], usage: null, metadata: {}, question: '' })) as Interaction;
    const iid = interaction.interactionId;
    const events = [
      event({ eventType: 'action_started', interactionId: iid, timestamp: at(300) }),
      event({ eventType: 'approval_requested', interactionId: iid, timestamp: at(301) }),
      event({ eventType: 'approval_denied', interactionId: iid, timestamp: at(302), approvalGranted: false, approver: 'bob', reason: 'denied by bob', severity: 'warning' }),
      event({ eventType: 'action_rejected', interactionId: iid, timestamp: at(303), success: false, reason: 'denied by bob', durationMs: 3, severity: 'warning' }),
      event({ eventType: 'action_failed', actionId: 'act-9', actionName: 'restart', actionParams: {}, timestamp: at(500), success: false, errorMessage: 'boom', durationMs: 20, severity: 'error', requiresApproval: false, capabilityType: null, capabilitySource: null, capabilityVersion: null, mcpServerId: null, mcpServerName: null, metadata: {} }),
      event({ eventType: 'approval_granted', actionId: 'act-8', timestamp: at(600), approvalGranted: true, approver: 'carol', reason: 'ticket CHG-42' }),
      event({ eventType: 'action_completed', actionId: 'act-8', timestamp: at(700), success: true, durationMs: 95 }),
    ].map((e) => parseRecordOrThrow(e) as AuditEvent);

    const exporter = createOtlpExporter({ url: `${baseUrl}/v1/traces`, headers: bearer(t.keyA) });
    const records: AuditRecord[] = [interaction, bare, ...events];
    expect(await exporter.export(records)).toEqual({ code: 'success', rejected: [] });

    const got = await get<Interaction & { events: AuditEvent[] }>(`/v1/interactions/${iid}`);
    expect(withoutNulls({ ...got, events: undefined })).toEqual({ ...sameRecord(interaction), events: undefined });
    expect(got.events.map(withoutNulls)).toEqual(events.slice(0, 4).map(sameRecord));
    expect(withoutNulls(await get<Interaction>(`/v1/interactions/${bare.interactionId}`))).toEqual({ ...sameRecord(bare), events: [] });
    for (const e of events) expect(withoutNulls(await get<AuditEvent>(`/v1/events/${e.eventId}`))).toEqual(sameRecord(e));

    // exported again (a retry): stored once
    expect(await exporter.export(records)).toEqual({ code: 'success', rejected: [] });
    const stored = await get<{ items: AuditEvent[] }>('/v1/events?limit=1000');
    expect(stored.items.filter((e) => e.agentId !== SERVER_AGENT_ID)).toHaveLength(events.length);
    expect((await get<{ count: number }>('/v1/interactions/count')).count).toBe(2);
  });

  it('works as a logger exporter: recorded interactions and action events reach the server as OTLP', async () => {
    const logger = createAuditLogger({ exporter: createOtlpExporter({ url: baseUrl, headers: { 'x-api-key': t.keyA } }), context: { orgId: 'org_a', userId: 'erin', agentId: 'bot', sessionId: 's-9' } });
    const interactionId = logger.recordInteraction({ question: 'disk?', model: 'gpt-4o-mini', status: 'success', finalAnswer: 'fine', toolCalls: [{ sequence: 0, name: 'df', input: { host: 'n3' }, observation: '40%', durationMs: 3 }] })!;
    logger.actionStarted({ actionId: 'a-1', actionName: 'df', actionParams: { host: 'n3' }, interactionId });
    logger.actionCompleted({ actionId: 'a-1', actionName: 'df', interactionId, durationMs: 3 });
    await logger.shutdown();
    expect(logger.stats()).toMatchObject({ exported: 3, rejected: 0 });
    const got = await get<Interaction & { events: AuditEvent[] }>(`/v1/interactions/${interactionId}`);
    expect(got).toMatchObject({ question: 'disk?', model: 'gpt-4o-mini', finalAnswer: 'fine', userId: 'erin', agentId: 'bot', sessionId: 's-9', toolCalls: [expect.objectContaining({ name: 'df', input: { host: 'n3' }, observation: '40%' })] });
    expect(got.events.map((e) => e.eventType)).toEqual(['action_started', 'action_completed']);
  });

  it('reports a collector answer as export results: 401 fails, 503 is retryable', async () => {
    const noKey = createOtlpExporter({ url: `${baseUrl}/v1/traces`, retry: false });
    const refused = await noKey.export([parseRecordOrThrow(fullInteraction())]);
    expect(refused.code).toBe('failure');
    await t.close();
    const down = createOtlpExporter({ url: `${baseUrl}/v1/traces`, headers: bearer(t.keyA), retry: false, timeoutMs: 2_000 });
    expect((await down.export([parseRecordOrThrow(fullInteraction())])).code).toBe('retryable');
    t = await startTestServer();
    baseUrl = await t.server.listen();
  });
});

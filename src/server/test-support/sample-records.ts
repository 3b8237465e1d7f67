import { uuidv7 } from '../../core/ids.js';
import type { AuditEventInput } from '../../core/audit-event.js';
import type { InteractionInput } from '../../core/interaction.js';
import { parseRecordOrThrow, type AuditRecord } from '../../core/record.js';

let clock = Date.parse('2026-03-01T10:00:00.000Z');
const tick = (): string => new Date((clock += 1000)).toISOString();

export function sampleEvent(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    kind: 'event',
    eventId: uuidv7(),
    eventType: 'action_completed',
    timestamp: tick(),
    orgId: 'org_a',
    userId: 'alice',
    agentId: 'ops-agent',
    sessionId: 'sess-1',
    actionId: `act-${clock}`,
    actionName: 'kubectl_get_pods',
    actionParams: { namespace: 'default' },
    success: true,
    durationMs: 12,
    ...overrides,
  };
}

export function sampleInteraction(overrides: Partial<InteractionInput> = {}): InteractionInput {
  return {
    kind: 'interaction',
    interactionId: uuidv7(),
    timestamp: tick(),
    orgId: 'org_a',
    sessionId: 'sess-1',
    userId: 'alice',
    agentId: 'ops-agent',
    clientIp: '10.0.0.7',
    userAgent: 'curl/8',
    question: 'why is the payments pod restarting?',
    model: 'gpt-4o',
    provider: 'openai',
    cluster: 'prod-eu',
    thoughts: [{ sequence: 0, content: 'look at the pod events first' }],
    toolCalls: [{ sequence: 0, name: 'kubectl_describe', input: { pod: 'payments-1' }, observation: 'OOMKilled', durationMs: 40 }],
    finalAnswer: 'It is OOMKilled: raise its memory limit.',
    status: 'success',
    totalDurationMs: 900,
    metrics: [{ name: 'llm', durationMs: 700 }],
    usage: { inputTokens: 120, outputTokens: 40 },
    ...overrides,
  };
}

/** Validated records, as the queue and storage receive them. */
export function parsedEvents(n: number, overrides: Partial<AuditEventInput> = {}): AuditRecord[] {
  return Array.from({ length: n }, () => parseRecordOrThrow(sampleEvent(overrides)));
}

import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';

/** A complete seed-002 interaction (defaults applied), with fields overridable. */
export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  return {
    kind: 'interaction',
    interactionId: '0190a5c4-1f2e-7abc-8def-0000000004d2',
    timestamp: '2026-11-22T06:01:00.000Z',
    orgId: 'org_acme',
    sessionId: 'sess_1',
    userId: 'u_1',
    agentId: 'opsagent',
    clientIp: '203.0.113.24',
    userAgent: 'OpsAgent-CLI/1.8.2',
    question: 'Why do the pods restart?',
    model: 'gpt-4o',
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    cluster: 'prod-eu-1',
    thoughts: [],
    toolCalls: [],
    finalAnswer: 'They run out of memory.',
    status: 'success',
    totalDurationMs: 8200,
    metrics: [{ name: 'execute_total', durationMs: 8200 }],
    metadata: {},
    ...overrides,
  };
}

/** A complete seed-000 event (defaults applied), with fields overridable. */
export function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    kind: 'event',
    eventId: '0190a5c4-1f2e-7abc-8def-0000000004d3',
    eventType: 'action_failed',
    timestamp: '2026-11-22T06:01:00.000Z',
    orgId: 'org_acme',
    userId: 'u_1',
    agentId: 'opsagent',
    sessionId: 'sess_1',
    actionId: 'act_1',
    actionName: 'db_query',
    actionParams: {},
    requiresApproval: false,
    durationMs: 12,
    severity: 'error',
    metadata: {},
    ...overrides,
  };
}

/** Freezes a value and everything inside it, so that any mutation throws (ESM is strict mode). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

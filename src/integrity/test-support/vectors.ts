import type { AuditRecord } from '../../core/record.js';

/**
 * The test vectors of docs/integrity.md: fixed records, a fixed signing key (seed 0x00..0x1f,
 * for tests only) and a fixed time. Records are given as the storage returns them would be, except
 * where the vector shows normalization (an offset timestamp, an explicit null).
 */
export const VECTOR_ORG = 'org_demo';

export const VECTOR_RECORDS: readonly AuditRecord[] = [
  {
    kind: 'event',
    eventId: '01900000-0000-7000-8000-000000000001',
    eventType: 'action_started',
    timestamp: '2026-01-15T08:00:00+08:00',
    orgId: VECTOR_ORG,
    userId: 'u_alice',
    agentId: 'agent_ops',
    sessionId: 'sess-01',
    actionId: 'act-1',
    actionName: 'kubectl_get',
    actionParams: { namespace: 'default', limit: 5, ratio: 0.25, selector: null },
    approvalGranted: null,
    requiresApproval: false,
    durationMs: 0,
    severity: 'info',
    metadata: {},
  },
  {
    kind: 'interaction',
    interactionId: '01900000-0000-7000-8000-000000000002',
    timestamp: '2026-01-15T00:00:01.5Z',
    orgId: VECTOR_ORG,
    sessionId: 'sess-01',
    userId: 'u_张伟',
    question: '为什么 nginx 一直重启？😟',
    model: 'qwen-max',
    thoughts: [{ sequence: 0, content: '先看 Pod 状态 🤔' }],
    toolCalls: [{ sequence: 0, name: 'kubectl_get', input: { resource: 'pods' }, observation: 'nginx 0/1 CrashLoopBackOff', durationMs: 120, status: 'success' }],
    finalAnswer: '配置文件缺失。',
    status: 'success',
    metrics: [{ name: 'llm', durationMs: 640 }],
    usage: { inputTokens: 1500, outputTokens: 320 },
    metadata: { route: '/api/chat' },
  },
  {
    kind: 'event',
    eventId: '01900000-0000-7000-8000-000000000003',
    eventType: 'action_failed',
    timestamp: '2026-01-15T00:00:02.000Z',
    orgId: VECTOR_ORG,
    userId: 'u_alice',
    agentId: 'agent_ops',
    sessionId: 'sess-01',
    actionId: 'act-1',
    actionName: 'kubectl_get',
    actionParams: {},
    requiresApproval: false,
    success: false,
    durationMs: 1234,
    errorMessage: 'pod "nginx"\tnot ready\n',
    severity: 'error',
    metadata: { big: 1e21, small: 1e-7 },
  },
];

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410). */
export const VECTOR_KEY_SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export function vectorPrivateKeyPem(): string {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(VECTOR_KEY_SEED_HEX, 'hex')]);
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
}

/** The checkpoint of the vector chain is cut at this instant. */
export const VECTOR_TIME_MS = Date.UTC(2026, 0, 15, 0, 1, 0);

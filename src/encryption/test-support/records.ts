import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { uuidv7 } from '../../core/ids.js';

/** An interaction with every encryptable field set, in Chinese, emoji and awkward text. */
export function interaction(overrides: Partial<Interaction> = {}): Interaction {
  return {
    kind: 'interaction',
    interactionId: uuidv7(),
    timestamp: '2026-11-22T06:01:00.000Z',
    orgId: 'org_acme',
    sessionId: 'sess_1',
    userId: 'u_张伟',
    agentId: 'opsagent',
    question: '为什么 nginx 一直重启？😟 "quoted" \\ back\nslash',
    model: 'qwen-max',
    provider: 'dashscope',
    thoughts: [
      { sequence: 0, content: '先看 Pod 状态 🤔' },
      { sequence: 1, content: 'lone surrogate \ud800 and NUL \u0000 kept exactly', timestamp: '2026-11-22T06:01:01.000Z' },
    ],
    toolCalls: [
      { sequence: 0, name: 'kubectl_get', input: { resource: 'pods', namespace: 'default', limit: 5, ratio: 0.25, nested: [1, null, { ok: true }] }, observation: 'nginx 0/1 CrashLoopBackOff', status: 'success', durationMs: 120 },
      { sequence: 1, name: 'kubectl_logs', input: 'nginx-7d9c --tail=50', observation: { lines: ['OOMKilled', '配置文件缺失'] }, status: 'error', errorMessage: 'exit 137 😵' },
      { sequence: 2, name: 'noop', input: 42, status: 'pending' },
    ],
    finalAnswer: '配置文件缺失。Restore the ConfigMap 🛠️',
    status: 'success',
    errorMessage: null,
    metrics: [{ name: 'llm', durationMs: 640 }],
    metadata: { route: '/api/chat', 标签: ['a', 'b'] },
    ...overrides,
  };
}

/** An action event with params, a reason and metadata. */
export function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    kind: 'event',
    eventId: uuidv7(),
    eventType: 'approval_denied',
    timestamp: '2026-11-22T06:01:00.000Z',
    orgId: 'org_acme',
    userId: 'u_张伟',
    agentId: 'opsagent',
    sessionId: 'sess_1',
    actionId: 'act_1',
    actionName: 'db_query',
    actionParams: { sql: "DELETE FROM users WHERE name = '李雷' -- 🙈", limit: 1 },
    requiresApproval: true,
    approvalGranted: false,
    approver: 'u_admin',
    reason: '生产库禁止删除 ⛔',
    durationMs: 12,
    errorMessage: 'denied: 拒绝',
    severity: 'warning',
    metadata: { ticket: 'OPS-42', 备注: '紧急' },
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

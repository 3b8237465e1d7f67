import { uuidv7 } from '../../../src/core/ids.js';
import type { Interaction } from '../../../src/core/interaction.js';
import { parseRecordOrThrow } from '../../../src/core/record.js';

/**
 * The write benchmarks' row shape: one interaction with 2 thoughts, 3 tool calls and 3 metrics,
 * realistic text sizes (question ~80 chars, answer ~200, thoughts ~120, tool input ~80 of JSON,
 * observation ~300), English and (one in ten) Chinese. Parsed once, before any timing.
 */
const QUESTIONS = [
  'Why is pod payments-api-7d9f in namespace prod restarting every few minutes?',
  'Show CPU and memory usage of node worker-3 over the last hour, grouped by pod',
  'Which deployments in staging have fewer ready replicas than desired right now?',
  'prod-bj 集群里 nginx 的 Pod 为什么一直重启？请查看日志并给出原因',
];
const ANSWER =
  'The pod is OOMKilled: its memory limit is 512Mi while the JVM heap is set to 768Mi. Raise the limit to 1Gi or lower -Xmx to 384m, then roll the deployment. Three restarts in the last hour.';
const OBSERVATION =
  'NAME                           READY   STATUS             RESTARTS   AGE\npayments-api-7d9f-x2k4p        0/1     CrashLoopBackOff   14         2h\npayments-api-7d9f-q8w1z        1/1     Running            0          2h\nEvents: Back-off restarting failed container api in pod payments-api-7d9f-x2k4p';

/** Interaction number k at time `ts` (ms), in one of `orgs` orgs, ten interactions per session. */
export function benchInteraction(k: number, ts: number, orgs = 4): Interaction {
  return parseRecordOrThrow({
    kind: 'interaction',
    interactionId: uuidv7(ts),
    timestamp: new Date(ts).toISOString(),
    orgId: `org-${k % orgs}`,
    sessionId: `session-${Math.floor(k / 10)}`,
    userId: `user-${k % 200}`,
    agentId: 'ops-agent',
    clientIp: `10.0.${k % 250}.${k % 200}`,
    userAgent: 'OpsAgent-CLI/2.3 (linux; amd64)',
    question: `${QUESTIONS[k % 4]!} #${k}`,
    model: k % 3 === 0 ? 'gpt-4o' : k % 3 === 1 ? 'claude-sonnet-4' : 'qwen-max',
    provider: k % 3 === 0 ? 'openai' : k % 3 === 1 ? 'anthropic' : 'dashscope',
    baseUrl: 'https://api.example.com/v1',
    cluster: k % 2 === 0 ? 'prod-bj' : 'staging-sh',
    thoughts: [
      { sequence: 0, content: 'The pod restarts repeatedly: check its status and recent events first, then the container logs.' },
      { sequence: 1, content: 'Status shows CrashLoopBackOff with OOMKilled as the last state: compare the memory limit with the heap.' },
    ],
    toolCalls: [0, 1, 2].map((s) => ({
      sequence: s,
      name: ['kubectl_get', 'kubectl_describe', 'kubectl_logs'][s]!,
      input: { resource: 'pods', namespace: 'prod', selector: 'app=payments-api', tail: 50 },
      observation: OBSERVATION,
      durationMs: 40 + ((k + s) % 200),
      status: 'success',
      actionId: `act-${k}-${s}`,
    })),
    finalAnswer: ANSWER,
    status: k % 20 === 0 ? 'error' : 'success',
    totalDurationMs: 800 + (k % 4000),
    assistantDurationMs: 700 + (k % 3000),
    parseDurationMs: 3,
    metrics: [
      { name: 'llm_first_token', durationMs: 300 + (k % 400) },
      { name: 'tool_total', durationMs: 120 + (k % 300) },
      { name: 'render', durationMs: 2 },
    ],
    usage: { inputTokens: 1500 + (k % 500), outputTokens: 200 + (k % 100) },
    metadata: { route: '/api/diagnose', requestId: `req-${k}` },
  }) as Interaction;
}

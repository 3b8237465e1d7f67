import {
  normalizeRecord,
  parseRecordOrThrow,
  type AuditEvent,
  type AuditEventInput,
  type AuditRecord,
  type EventType,
  type Interaction,
  type InteractionInput,
  type InteractionStatus,
} from '../../core/index.js';

/**
 * Record factories and a generated data set for storage tests and benchmarks. Everything is
 * deterministic for a given seed (ids included), timestamps are fixed, and many records share a
 * timestamp on purpose so that ordering ties on (timestamp, id) are exercised.
 */

/** 2026-01-15T00:00:00.000Z: the start of every generated data set. */
export const FIXTURE_START_MS = Date.UTC(2026, 0, 15, 0, 0, 0);

/** A small deterministic PRNG (mulberry32): same seed, same sequence. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUIDv7 (lowercase) for `ms` whose random bits come from `rng`. */
export function fixtureId(ms: number, rng: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
  const t = ms.toString(16).padStart(12, '0');
  const variant = (8 + Math.floor(rng() * 4)).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

const defaultRng = createRng(0x5eed);

/** One action event, parsed (defaults applied). Override any field. */
export function makeEvent(overrides: Partial<AuditEventInput> = {}): AuditEvent {
  const ms = overrides.timestamp === undefined ? FIXTURE_START_MS : Date.parse(overrides.timestamp);
  const input: AuditEventInput = {
    kind: 'event',
    eventId: fixtureId(ms, defaultRng),
    eventType: 'action_started',
    timestamp: new Date(ms).toISOString(),
    orgId: 'org_a',
    userId: 'u_alice',
    agentId: 'agent_ops',
    sessionId: 'sess-01',
    actionId: 'act-1',
    actionName: 'kubectl_get',
    ...overrides,
  };
  return parseRecordOrThrow(input) as AuditEvent;
}

/** One interaction, parsed (defaults applied). Override any field. */
export function makeInteraction(overrides: Partial<InteractionInput> = {}): Interaction {
  const ms = overrides.timestamp === undefined ? FIXTURE_START_MS : Date.parse(overrides.timestamp);
  const input: InteractionInput = {
    kind: 'interaction',
    interactionId: fixtureId(ms, defaultRng),
    timestamp: new Date(ms).toISOString(),
    orgId: 'org_a',
    sessionId: 'sess-01',
    userId: 'u_alice',
    agentId: 'agent_ops',
    question: 'How many pods are running?',
    model: 'gpt-4o',
    provider: 'openai',
    status: 'success',
    ...overrides,
  };
  return parseRecordOrThrow(input) as Interaction;
}

/** An event with every field set, Chinese and emoji text, and nested params: for round trips. */
export function makeRichEvent(overrides: Partial<AuditEventInput> = {}): AuditEvent {
  return makeEvent({
    eventType: 'action_failed',
    // An offset and microseconds: stored as UTC with milliseconds.
    timestamp: '2026-01-15T16:30:00.123456+08:00',
    actionParams: {
      namespace: 'kube_system',
      selector: { app: 'nginx', tier: ['web', 'edge'] },
      replicas: 3,
      ratio: 0.25,
      dryRun: false,
      note: '重启 nginx 🚀 "quoted" \\ back\nslash',
      nothing: null,
      deep: { a: { b: { c: [1, { d: 'e' }] } } },
    },
    interactionId: fixtureId(FIXTURE_START_MS, defaultRng),
    capabilityType: 'skill',
    capabilitySource: 'registry',
    capabilityVersion: '1.2.3',
    mcpServerId: 'mcp-k8s',
    mcpServerName: 'Kubernetes MCP 服务',
    requiresApproval: true,
    approvalGranted: true,
    approver: 'u_李雷',
    reason: '变更窗口内 ✅',
    success: false,
    durationMs: 1234,
    errorMessage: 'pod "nginx-7d9f" 未就绪\ttimeout',
    severity: 'error',
    metadata: { trace: { id: 'abc', spans: [1, 2, 3] }, 标签: '生产', emoji: '🔥🧯', empty: {}, list: [] },
    ...overrides,
  });
}

/** An interaction with thoughts, tool calls, metrics, usage, Chinese and emoji: for round trips. */
export function makeRichInteraction(overrides: Partial<InteractionInput> = {}): Interaction {
  return makeInteraction({
    timestamp: '2026-01-15T09:15:00+08:00',
    userId: 'u_张伟',
    clientIp: '2001:db8::1',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) 测试/1.0',
    question: '为什么 nginx 的 Pod 一直重启？😟 Why does it "crash"?\nSecond line.',
    model: 'qwen-max',
    provider: 'dashscope',
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    cluster: 'prod-bj',
    thoughts: [
      { sequence: 0, content: '先看 Pod 状态 🤔', timestamp: '2026-01-15T09:15:01.5+08:00' },
      { sequence: 1, content: 'Then read the logs.\n\tIndented.' },
    ],
    toolCalls: [
      {
        sequence: 0,
        name: 'kubectl_get',
        input: { resource: 'pods', namespace: 'default', labels: { app: 'nginx' }, limit: 5, all: true, none: null },
        observation: 'NAME READY STATUS\nnginx-7d9f 0/1 CrashLoopBackOff',
        durationMs: 120,
        startedAt: '2026-01-15T01:15:02Z',
        status: 'success',
        actionId: 'act-rich-1',
      },
      {
        sequence: 1,
        name: 'kubectl_logs',
        input: 'nginx-7d9f --tail=50',
        observation: { lines: ['错误: 配置文件缺失', 'exit 1 💥'], truncated: false },
        durationMs: 80,
        status: 'error',
        errorMessage: 'container exited',
      },
      { sequence: 2, name: 'kubectl_restart', input: ['deploy/nginx', { force: true }], status: 'rejected', actionId: 'act-rich-3' },
    ],
    finalAnswer: '配置文件缺失导致 CrashLoopBackOff；请恢复 ConfigMap。✅',
    status: 'success',
    totalDurationMs: 4321,
    assistantDurationMs: 3900,
    parseDurationMs: 12,
    metrics: [
      { name: 'llm_first_token', durationMs: 640 },
      { name: 'tool_total', durationMs: 200 },
    ],
    usage: { inputTokens: 1500, outputTokens: 320, totalTokens: 1820, reasoningTokens: 64, cachedInputTokens: 1024 },
    metadata: { route: '/api/chat', 租户: { 名称: '运维部' }, flags: [true, false] },
    ...overrides,
  });
}

/** What a backend must return for an appended record: the record after `normalizeRecord`. */
export function expectedStored<T extends AuditRecord>(record: T): T {
  return normalizeRecord(record) as T;
}

/**
 * A record brought to a form where "absent" and null are the same for the schema's own optional
 * fields (a SQL column cannot tell them apart), while JSON payloads (params, metadata, tool
 * input/observation) are kept exactly. Compare backend output with `toEqual` on this form.
 */
export function comparableRecord(record: AuditRecord): Record<string, unknown> {
  if (record.kind === 'event') return dropNullish(record);
  return {
    ...dropNullish(record),
    thoughts: record.thoughts.map((t) => dropNullish(t)),
    toolCalls: record.toolCalls.map((c) => {
      const { input, observation, ...rest } = c;
      const out: Record<string, unknown> = { ...dropNullish(rest), input };
      if (observation !== undefined && observation !== null) out.observation = observation;
      return out;
    }),
    metrics: record.metrics.map((m) => dropNullish(m)),
    ...(record.usage ? { usage: dropNullish(record.usage) } : {}),
  };
}

function dropNullish(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** A session of the generated data set: the same user, client IP and user agent throughout. */
export interface FixtureSession {
  readonly orgId: string;
  readonly sessionId: string;
  readonly userId: string | null;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
}

/** Sessions of the data set; `sess-01` exists in both orgs (org isolation). */
export const FIXTURE_SESSIONS: readonly FixtureSession[] = Object.freeze([
  { orgId: 'org_a', sessionId: 'sess-01', userId: 'u_alice', clientIp: '10.0.0.1', userAgent: 'curl/8.5' },
  { orgId: 'org_a', sessionId: 'sess-02', userId: 'u_bob', clientIp: '10.0.0.2', userAgent: 'Mozilla/5.0' },
  { orgId: 'org_a', sessionId: 'sess-03', userId: 'u_张伟', clientIp: '2001:db8::7', userAgent: 'OpsAgent CLI/2.0 🚀' },
  { orgId: 'org_a', sessionId: 'sess-04', userId: 'u_alice', clientIp: '10.0.0.1', userAgent: 'curl/8.5' },
  { orgId: 'org_a', sessionId: 'sess-05', userId: null, clientIp: null, userAgent: null },
  { orgId: 'org_b', sessionId: 'sess-01', userId: 'u_carol', clientIp: '192.168.1.9', userAgent: 'python-requests/2.32' },
  { orgId: 'org_b', sessionId: 'sess-06', userId: 'u_dave', clientIp: '192.168.1.10', userAgent: 'Go-http-client/1.1' },
]);

const MODELS = [
  { model: 'gpt-4o', provider: 'openai' },
  { model: 'claude-sonnet-4', provider: 'anthropic' },
  { model: 'qwen-max', provider: 'dashscope' },
  { model: 'llama-3.1-8b', provider: null },
] as const;
const AGENTS = ['agent_ops', 'agent_sql', 'agent_chat'] as const;
const CLUSTERS = ['prod-bj', 'staging-sh', null] as const;
const TOOLS = ['kubectl_get', 'kubectl_logs', 'kubectl_restart', 'query_prometheus'] as const;
const STATUSES: readonly InteractionStatus[] = ['success', 'success', 'success', 'error', 'timeout', 'cancelled'];
const EVENT_TYPES: readonly EventType[] = [
  'action_started',
  'action_completed',
  'action_failed',
  'action_rejected',
  'approval_requested',
  'approval_granted',
  'approval_denied',
];
const QUESTIONS = [
  'How many pods are running in kube_system?',
  '为什么 nginx 的 Pod 一直重启？',
  'Show CPU usage of node-3 in kube-system over the last hour',
  'Disk usage at 95% on node-2, what should I clean?',
  '帮我查看 payment 服务的错误日志 🔍',
  'Restart the NGINX deployment in staging',
] as const;
const ANSWERS = [
  'There are 42 pods running.',
  '配置文件缺失导致 CrashLoopBackOff，需要重启 nginx。',
  'CPU usage peaked at 95 percent around 02:00 UTC.',
  null,
  '发现 3 条 ERROR 日志 ✅',
  'The nginx deployment was restarted.',
] as const;

export interface DatasetOptions {
  /** Seed of the generator; the same seed gives the same records (ids included). Default 1. */
  readonly seed?: number;
  /** Number of action events. Default 240. */
  readonly events?: number;
  /** Number of interactions. Default 160. */
  readonly interactions?: number;
}

export interface Dataset {
  /** Events and interactions interleaved, in append order. */
  readonly records: readonly AuditRecord[];
  readonly events: readonly AuditEvent[];
  readonly interactions: readonly Interaction[];
  /** Records after `normalizeRecord`: what a backend must return. */
  readonly storedEvents: readonly AuditEvent[];
  readonly storedInteractions: readonly Interaction[];
  readonly sessions: readonly FixtureSession[];
}

/**
 * A deterministic data set: two orgs (org_b about a quarter), 7 sessions, 4 models, 3 agents,
 * 4 tools, every event type and interaction status, timestamps from FIXTURE_START_MS in steps of
 * 150 s with four records per instant (ties), one in ten records one day later (day buckets), and
 * one in three written with a +08:00 offset or without milliseconds (normalization).
 */
export function generateDataset(options: DatasetOptions = {}): Dataset {
  const rng = createRng(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const nEvents = options.events ?? 240;
  const nInteractions = options.interactions ?? 160;
  const total = nEvents + nInteractions;
  const records: AuditRecord[] = [];
  const interactions: Interaction[] = [];
  const events: AuditEvent[] = [];
  // Interleave: record i is an interaction when it falls on the interaction share.
  let madeInteractions = 0;
  for (let i = 0; i < total; i++) {
    const ms = FIXTURE_START_MS + Math.floor(i / 4) * 150_000 + (i % 20 >= 18 ? 86_400_000 : 0);
    const timestamp = formatTimestamp(ms, i);
    const session = pick(i % 4 === 3 ? FIXTURE_SESSIONS.slice(5) : FIXTURE_SESSIONS.slice(0, 5));
    const wantInteraction = madeInteractions < nInteractions && (events.length >= nEvents || madeInteractions * total <= i * nInteractions);
    if (wantInteraction) {
      madeInteractions++;
      const r = generateInteraction(rng, pick, fixtureId(ms, rng), timestamp, session);
      interactions.push(r);
      records.push(r);
    } else {
      const linked = interactions.length > 0 && rng() < 0.5 ? pick(interactions) : undefined;
      const r = generateEvent(rng, pick, fixtureId(ms, rng), timestamp, session, linked);
      events.push(r);
      records.push(r);
    }
  }
  return {
    records,
    events,
    interactions,
    storedEvents: events.map((e) => expectedStored(e)),
    storedInteractions: interactions.map((r) => expectedStored(r)),
    sessions: FIXTURE_SESSIONS,
  };
}

function formatTimestamp(ms: number, i: number): string {
  const iso = new Date(ms).toISOString();
  if (i % 3 === 1) return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
  if (i % 3 === 2 && ms % 1000 === 0) return iso.replace('.000Z', 'Z');
  return iso;
}

type Pick = <T>(items: readonly T[]) => T;

function generateInteraction(rng: () => number, pick: Pick, id: string, timestamp: string, s: FixtureSession): Interaction {
  const m = pick(MODELS);
  const q = Math.floor(rng() * QUESTIONS.length);
  const status = pick(STATUSES);
  const nTools = Math.floor(rng() * 4);
  const toolCalls = Array.from({ length: nTools }, (_, k) => ({
    sequence: k,
    name: pick(TOOLS),
    input: { target: `node-${k}`, flags: ['-o', 'wide'], depth: { level: k } },
    observation: k % 2 === 0 ? `ok ${k} ✅` : { rows: k, 说明: '正常' },
    durationMs: 5 + Math.floor(rng() * 500),
    status: rng() < 0.8 ? ('success' as const) : ('error' as const),
    actionId: `act-${id.slice(-6)}-${k}`,
  }));
  const input: InteractionInput = {
    kind: 'interaction',
    interactionId: id,
    timestamp,
    orgId: s.orgId,
    sessionId: s.sessionId,
    userId: s.userId,
    agentId: pick(AGENTS),
    clientIp: s.clientIp,
    userAgent: s.userAgent,
    question: QUESTIONS[q]!,
    model: m.model,
    provider: m.provider,
    cluster: pick(CLUSTERS),
    thoughts: [{ sequence: 0, content: `思考 ${q} 🤔` }],
    toolCalls,
    finalAnswer: status === 'success' ? ANSWERS[q] : null,
    status,
    errorMessage: status === 'success' ? null : `failed: ${status}`,
    totalDurationMs: rng() < 0.9 ? 100 + Math.floor(rng() * 5000) : null,
    assistantDurationMs: 80 + Math.floor(rng() * 3000),
    metrics: [{ name: 'llm', durationMs: Math.floor(rng() * 1000) }],
    usage: rng() < 0.85 ? { inputTokens: Math.floor(rng() * 2000), outputTokens: Math.floor(rng() * 800) } : null,
    metadata: { n: q },
  };
  return parseRecordOrThrow(input) as Interaction;
}

function generateEvent(rng: () => number, pick: Pick, id: string, timestamp: string, s: FixtureSession, linked: Interaction | undefined): AuditEvent {
  const eventType = pick(EVENT_TYPES);
  const success = eventType === 'action_completed' ? true : eventType === 'action_failed' || eventType === 'action_rejected' ? false : null;
  const approvalGranted = eventType === 'approval_granted' ? true : eventType === 'approval_denied' ? false : null;
  const input: AuditEventInput = {
    kind: 'event',
    eventId: id,
    eventType,
    timestamp,
    orgId: s.orgId,
    userId: s.userId ?? 'u_anonymous',
    agentId: pick(AGENTS),
    sessionId: s.sessionId,
    actionId: `act-${Math.floor(rng() * 40)}`,
    actionName: pick(TOOLS),
    actionParams: { ns: pick(['default', 'kube_system', '生产']), replicas: Math.floor(rng() * 5), nested: { ok: rng() < 0.5 } },
    interactionId: linked && linked.orgId === s.orgId ? linked.interactionId : null,
    requiresApproval: eventType.startsWith('approval'),
    approvalGranted,
    success,
    durationMs: Math.floor(rng() * 900),
    errorMessage: success === false ? '执行失败 ❌' : null,
    severity: success === false ? 'error' : 'info',
    metadata: { attempt: 1 },
  };
  return parseRecordOrThrow(input) as AuditEvent;
}

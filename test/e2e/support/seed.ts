import { randomUUID } from 'node:crypto';

/** Interactions and action events of org `acme`, relative to `nowMs`, with the totals a test expects. */
export interface Seed {
  readonly records: object[];
  readonly showcaseId: string;
  readonly xssId: string;
  readonly largeId: string;
  readonly showcaseSession: string;
  readonly xssQuestion: string;
  readonly totals: { interactions: number; errors: number; inputTokens: number; outputTokens: number; byModel: Record<string, number>; byStatus: Record<string, number> };
}

const MODELS = [
  { model: 'gpt-4o', provider: 'openai' },
  { model: 'claude-sonnet-4', provider: 'anthropic' },
];
const AGENTS = ['ops-copilot', 'billing-bot'];
const USERS = ['alice', 'bob', 'carol'];
const CLUSTERS = ['prod-eu', 'prod-us'];
const QUESTIONS = [
  'Which pods are restarting in payments?',
  'Why did the checkout latency spike at noon?',
  'List the nodes under memory pressure',
  'What changed in the ingress config yesterday?',
  'Is the billing cron job healthy?',
  'How many replicas does search run?',
];

export const XSS_QUESTION = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> is <b>this</b> bold?';

/** `bulk` extra plain interactions (agent batch-bot) make the list longer than one page. */
export function buildSeed(nowMs: number, bulk = 0): Seed {
  const records: object[] = [];
  const totals = { interactions: 0, errors: 0, inputTokens: 0, outputTokens: 0, byModel: {} as Record<string, number>, byStatus: {} as Record<string, number> };
  const iso = (ms: number) => new Date(ms).toISOString();
  const add = (i: Record<string, unknown> & { status: string; model: string; usage?: { inputTokens: number; outputTokens: number; totalTokens?: number } }) => {
    records.push({ kind: 'interaction', ...i });
    totals.interactions++;
    if (i.status !== 'success') totals.errors++;
    totals.inputTokens += i.usage?.inputTokens ?? 0;
    totals.outputTokens += i.usage?.outputTokens ?? 0;
    totals.byModel[i.model] = (totals.byModel[i.model] ?? 0) + 1;
    totals.byStatus[i.status] = (totals.byStatus[i.status] ?? 0) + 1;
  };

  // 18 ordinary interactions over the last 3 hours
  for (let n = 0; n < 18; n++) {
    const t = nowMs - (n + 1) * 9 * 60_000;
    const m = MODELS[n % 2]!;
    const status = n % 7 === 3 ? 'error' : n % 11 === 5 ? 'timeout' : 'success';
    const duration = 400 + ((n * 337) % 2600);
    add({
      interactionId: randomUUID(),
      timestamp: iso(t),
      sessionId: `sess-${n % 5}`,
      userId: USERS[n % 3],
      agentId: AGENTS[n % 2],
      clientIp: `10.0.0.${n % 5}`,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) ops-console/2.3',
      question: QUESTIONS[n % QUESTIONS.length],
      model: m.model,
      provider: m.provider,
      cluster: CLUSTERS[n % 2],
      thoughts: [{ sequence: 0, content: 'Look at the cluster state first.' }],
      toolCalls: [
        { sequence: 0, name: n % 3 === 0 ? 'kubectl_get_pods' : 'prometheus_query', input: { namespace: 'payments' }, observation: 'ok', durationMs: 80 + n * 10, status: status === 'error' && n % 2 === 1 ? 'error' : 'success' },
      ],
      finalAnswer: status === 'success' ? `Answer number ${n}: all good.` : null,
      status,
      errorMessage: status === 'error' ? 'model returned malformed tool call' : status === 'timeout' ? 'deadline of 30 s exceeded' : null,
      totalDurationMs: duration,
      assistantDurationMs: Math.round(duration * 0.7),
      usage: { inputTokens: 500 + n * 20, outputTokens: 120 + n * 5 },
    });
  }

  // the showcase: thoughts, three tool calls, one approval granted, one denied (and rejected)
  const showcaseId = randomUUID();
  const showcaseSession = 'sess-incident-42';
  const t0 = nowMs - 5 * 60_000;
  const ctx = { userId: 'alice', agentId: 'ops-copilot', sessionId: showcaseSession, interactionId: showcaseId };
  const restartId = `act-restart-${showcaseId.slice(0, 8)}`;
  const scaleId = `act-scale-${showcaseId.slice(0, 8)}`;
  add({
    ...ctx,
    timestamp: iso(t0),
    clientIp: '192.0.2.10',
    userAgent: 'Mozilla/5.0 (Macintosh) ops-console/2.3',
    question: 'payments-api is crashlooping in prod-eu: restart it and scale it up',
    model: 'gpt-4o',
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    cluster: 'prod-eu',
    thoughts: [
      { sequence: 0, content: 'First find the crashlooping pods.', timestamp: iso(t0 + 50) },
      { sequence: 1, content: 'OOMKilled: a restart clears it; ask for approval.', timestamp: iso(t0 + 700) },
      { sequence: 2, content: 'Scaling needs approval too.', timestamp: iso(t0 + 2600) },
    ],
    toolCalls: [
      { sequence: 0, name: 'kubectl_get_pods', input: { namespace: 'payments', selector: 'app=payments-api' }, observation: 'payments-api-7f9 CrashLoopBackOff (OOMKilled) restarts=14', startedAt: iso(t0 + 100), durationMs: 420, status: 'success' },
      { sequence: 1, name: 'restart_deployment', input: { namespace: 'payments', name: 'payments-api' }, observation: 'deployment.apps/payments-api restarted', startedAt: iso(t0 + 800), durationMs: 1600, status: 'success', actionId: restartId },
      { sequence: 2, name: 'scale_deployment', input: { namespace: 'payments', name: 'payments-api', replicas: 12 }, startedAt: iso(t0 + 2700), durationMs: 900, status: 'rejected', errorMessage: 'approval denied', actionId: scaleId },
    ],
    finalAnswer: 'I restarted payments-api (approved by bob). Scaling to 12 replicas was denied by carol: change freeze.',
    status: 'success',
    totalDurationMs: 4200,
    assistantDurationMs: 900,
    parseDurationMs: 12,
    metrics: [{ name: 'first_token', durationMs: 310 }],
    usage: { inputTokens: 2400, outputTokens: 380, totalTokens: 2780 },
  });
  const ev = (eventType: string, actionId: string, actionName: string, at: number, extra: Record<string, unknown> = {}) =>
    records.push({ kind: 'event', eventId: randomUUID(), eventType, timestamp: iso(at), ...ctx, actionId, actionName, actionParams: { namespace: 'payments' }, requiresApproval: true, ...extra });
  ev('approval_requested', restartId, 'restart_deployment', t0 + 810);
  ev('approval_granted', restartId, 'restart_deployment', t0 + 1900, { approvalGranted: true, approver: 'bob', reason: 'known OOM issue, restart is safe' });
  ev('action_started', restartId, 'restart_deployment', t0 + 1910);
  ev('action_completed', restartId, 'restart_deployment', t0 + 2400, { success: true, durationMs: 490 });
  ev('approval_requested', scaleId, 'scale_deployment', t0 + 2710);
  ev('approval_denied', scaleId, 'scale_deployment', t0 + 3500, { approvalGranted: false, approver: 'carol', reason: 'change freeze until Monday' });
  ev('action_rejected', scaleId, 'scale_deployment', t0 + 3510, { success: false, reason: 'approval denied by carol', severity: 'warning' });
  // an approval still waiting
  ev('approval_requested', 'act-drain-node', 'drain_node', nowMs - 60_000, { interactionId: null });

  // two follow-ups in the incident session
  for (const [n, q] of ['Is payments-api healthy now?', 'Summarize the incident for the postmortem'].entries()) {
    add({ ...ctx, interactionId: randomUUID(), timestamp: iso(t0 + (n + 1) * 60_000), clientIp: '192.0.2.10', userAgent: 'Mozilla/5.0 (Macintosh) ops-console/2.3', question: q, model: 'gpt-4o', provider: 'openai', cluster: 'prod-eu', finalAnswer: n === 0 ? 'Yes: 3/3 pods ready, no restarts since the rollout.' : 'OOMKilled pods were restarted with approval; scaling was denied (change freeze).', status: 'success', totalDurationMs: 1200 + n * 800, usage: { inputTokens: 800, outputTokens: 150 } });
  }

  const xssId = randomUUID();
  add({ interactionId: xssId, timestamp: iso(nowMs - 2 * 60_000), sessionId: 'sess-xss', userId: 'mallory', agentId: 'ops-copilot', question: XSS_QUESTION, model: 'gpt-4o', provider: 'openai', finalAnswer: '<img src=x onerror="window.__xss = 3">', status: 'success', totalDurationMs: 300, usage: { inputTokens: 10, outputTokens: 5 } });

  const largeId = randomUUID();
  add({
    interactionId: largeId,
    timestamp: iso(nowMs - 3 * 60_000),
    sessionId: 'sess-large',
    userId: 'bob',
    agentId: 'ops-copilot',
    question: 'Dump the full event log of the payments namespace',
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    thoughts: [{ sequence: 0, content: `Thinking hard. ${'The log is long and repetitive. '.repeat(200)}` }],
    toolCalls: [{ sequence: 0, name: 'kubectl_get_events', input: { namespace: 'payments' }, observation: Array.from({ length: 4000 }, (_, i) => `${i} Warning BackOff pod/payments-api-7f9 Back-off restarting failed container`).join('\n'), durationMs: 2200 }],
    finalAnswer: `${'x'.repeat(3000)}`,
    status: 'success',
    totalDurationMs: 5100,
    usage: { inputTokens: 52000, outputTokens: 900 },
  });

  for (let n = 0; n < bulk; n++) {
    add({ interactionId: randomUUID(), timestamp: iso(nowMs - 4 * 3_600_000 - n * 60_000), sessionId: 'sess-batch', userId: 'cron', agentId: 'batch-bot', question: `Nightly check ${n}`, model: 'gpt-4o-mini', provider: 'openai', finalAnswer: 'ok', status: 'success', totalDurationMs: 100 + n, usage: { inputTokens: 50, outputTokens: 10 } });
  }
  return { records, showcaseId, xssId, largeId, showcaseSession, xssQuestion: XSS_QUESTION, totals };
}

import type { Interaction } from '../../core/interaction.js';

/** A small deterministic PRNG (mulberry32), so benchmarks and tests see the same data every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUESTIONS = [
  'Why are the payment-api pods in namespace prod restarting every few minutes since the last deploy?',
  '集群里 order-service 的 pod 为什么一直 CrashLoopBackOff？昨天发布之后开始的，帮我看看日志和事件。',
  'Can you check why p99 latency on checkout went up after 14:00 and whether the HPA scaled out?',
  'The nightly backup CronJob failed again. Find the reason and tell me how to fix the job spec.',
  '帮我查一下 ingress-nginx 的 502 错误是从哪个 upstream 来的，最近一小时的数据就够了。',
  'Which deployments in namespace staging are still running the old image tag v2.3.1?',
];

const THOUGHTS = [
  'The user wants to know why pods restart. I should list the pods with their restart counts first, then describe the one with the most restarts and read the last termination reason. If it is OOMKilled I will compare memory limits with actual usage from metrics-server.',
  'Events show Back-off restarting failed container. The previous container logs should contain the stack trace. I will fetch logs with --previous for the container app, limit to the last 50 lines, and look for connection errors to the database or to Redis.',
  'Latency rose at 14:03. I will query Prometheus for histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{service="checkout"}[5m])) by (le)) and the HPA status to see whether replicas changed around that time.',
  '日志里有 "connection refused" 指向数据库连接池，先看一下 ConfigMap 和 Secret 的引用是否在这次发布中被改动，再确认数据库 Service 的 endpoints 是否就绪。',
];

const NAMES = ['payment-api', 'order-service', 'checkout', 'inventory', 'gateway', 'worker'];

function podTable(rand: () => number, withIps: boolean): string {
  const header = withIps
    ? 'NAME                              READY   STATUS             RESTARTS   AGE   IP            NODE\n'
    : 'NAME                              READY   STATUS             RESTARTS   AGE\n';
  let out = header;
  for (let i = 0; i < 4; i++) {
    const name = `${NAMES[Math.floor(rand() * NAMES.length)]}-7d9f8b6c5-${Math.floor(rand() * 1e5).toString(36)}`.padEnd(34);
    const status = rand() < 0.3 ? 'CrashLoopBackOff ' : 'Running          ';
    const restarts = String(Math.floor(rand() * 30)).padEnd(11);
    const age = `${1 + Math.floor(rand() * 20)}h`.padEnd(6);
    const ip = withIps ? `10.244.${Math.floor(rand() * 8)}.${2 + Math.floor(rand() * 250)}`.padEnd(14) + `ip-10-0-${Math.floor(rand() * 4)}-${Math.floor(rand() * 250)}.ec2.internal` : '';
    out += `${name}1/1     ${status}  ${restarts}${age}${ip}\n`;
  }
  return out;
}

const LOG_LINES = [
  '2026-11-22T06:01:12.431Z ERROR pool: connection refused (ECONNREFUSED) host=orders-db.prod.svc port=5432 attempt=3',
  '2026-11-22T06:01:13.002Z WARN  retrying in 2000ms; request_id=8f14e45f-ceea-467f-a0e6-1f3a2c4b5d6e trace=4bf92f3577b34da6a3ce929d0e0e4736',
  '2026-11-22T06:01:15.118Z INFO  GET /api/v1/orders/98213 200 31ms user_agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2)"',
  '2026-11-22T06:01:15.940Z ERROR java.lang.OutOfMemoryError: Java heap space at com.shop.orders.OrderRepository.findAll(OrderRepository.java:88)',
];

/** PII and secrets as they leak into real agent traffic; each appears in a fraction of interactions. */
const SPRINKLES: readonly ((rand: () => number) => string)[] = [
  () => 'Please send the incident summary to oncall.lead@example-shop.com when done.',
  () => 'Customer callback number is +86 138 1234 5678, ask for Ms. Wang.',
  () => 'env: DATABASE_URL=postgres://orders:Q7v!pX2m9s@orders-db.prod.svc:5432/orders',
  () => 'export OPENAI_API_KEY=sk-proj-Xb3kR9mT2vL8qW4nZ7pJ5sH1dF6gK0aYcE2uI9oP',
  () => '"password": "Winter2026!", "user": "svc_orders"',
  () => 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtb3JkZXJzIiwiaWF0IjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLXBsYWNlaG9sZGVyLXZhbHVl',
  () => 'failed charge for card 4242 4242 4242 4242 (customer 110105199003078812 reported)',
  () => 'slack alert sent via https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/aB3dE5gH7jK9mN1pQ3rS5tU7',
];

/** A seed-002 interaction of about 2 KB of text: question, 2 thoughts, 3 tool calls, answer. */
export function realisticInteraction(rand: () => number, i: number): Interaction {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const sprinkle = (): string => (rand() < 0.15 ? ` ${pick(SPRINKLES)(rand)}` : '');
  const ns = pick(['prod', 'staging', 'payments']);
  const app = pick(NAMES);
  return {
    kind: 'interaction',
    interactionId: `0190a5c4-${(1000 + (i % 9000)).toString(16).padStart(4, '0')}-7abc-8def-${i.toString(16).padStart(12, '0')}`,
    timestamp: '2026-11-22T06:01:00.000Z',
    orgId: 'org_acme',
    sessionId: `sess_${i % 97}`,
    userId: `u_${i % 31}`,
    agentId: 'opsagent',
    clientIp: '203.0.113.24',
    userAgent: 'OpsAgent-CLI/1.8.2 (linux; x64) node/20.19',
    question: pick(QUESTIONS) + sprinkle(),
    model: 'gpt-4o',
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    cluster: 'prod-eu-1',
    thoughts: [
      { sequence: 0, content: pick(THOUGHTS) + sprinkle() },
      { sequence: 1, content: pick(THOUGHTS) },
    ],
    toolCalls: [
      {
        sequence: 0,
        name: 'kubectl',
        input: { command: `kubectl get pods -n ${ns} -l app=${app} -o wide` },
        observation: podTable(rand, true),
        durationMs: 180,
        status: 'success',
      },
      {
        sequence: 1,
        name: 'kubectl',
        input: JSON.stringify({ command: `kubectl logs deploy/${app} -n ${ns} --previous --tail=50`, timeoutMs: 10000 }),
        observation: `${LOG_LINES.join('\n')}${sprinkle()}`,
        durationMs: 240,
        status: 'success',
      },
      {
        sequence: 2,
        name: 'prometheus_query',
        input: { query: `histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{service="${app}"}[5m])) by (le))`, range: '1h' },
        observation: { resultType: 'matrix', result: [{ metric: { service: app }, values: [[1700000000, '0.412'], [1700000300, '0.877'], [1700000600, '1.204']] }] },
        durationMs: 95,
        status: 'success',
      },
    ],
    finalAnswer:
      `The ${app} pods in ${ns} restart because the container runs out of memory (OOMKilled) while loading all orders at startup; ` +
      'the heap limit is 512Mi but the working set reaches 700Mi. Raise resources.limits.memory to 1Gi or page the query in OrderRepository.findAll. ' +
      'The database itself is healthy; the connection refused errors happen only while the pod is restarting.' +
      sprinkle(),
    status: 'success',
    totalDurationMs: 8200,
    assistantDurationMs: 7400,
    parseDurationMs: 12,
    metrics: [{ name: 'execute_total', durationMs: 8200 }],
    usage: { inputTokens: 2400, outputTokens: 310, totalTokens: 2710 },
    metadata: { route: '/api/diagnose', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
  };
}

/** n interactions from a fixed seed. */
export function realisticInteractions(n: number, seed = 42): Interaction[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => realisticInteraction(rand, i));
}

/**
 * `npm run bench -- record`: the caller's cost of recording one realistic interaction (~2 KB of
 * text: question, thought, answer, metadata, 3 tool calls with inputs and observations).
 *
 * Three contenders record the same object, each call timed with process.hrtime.bigint():
 * - auditrail `logger.recordInteraction(obj)` (no-op exporter, so the queue drains);
 * - pino `logger.info(obj)` to /dev/null (pino.destination, its default asynchronous mode);
 * - the floor: a bare `array.push(obj)`.
 * They run in alternating chunks so that the noise of this shared machine falls on all three
 * alike. Between chunks everyone gets the event loop: auditrail's batch processor builds,
 * validates and exports what was queued, pino's destination writes. That background time is
 * measured too (total CPU per call, from process.cpuUsage), because it is real work, only not on
 * the caller's path.
 * Each sample includes one hrtime call; so does the floor, which shows that overhead.
 */
import { setImmediate as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import pino from 'pino';
import { createAuditLogger, type InteractionRecordInput } from '../../src/sdk/index.js';
import { figure, percentiles, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';

const MAX_QUEUE_SIZE = 10_000;
const CHUNK = 5_000; // below MAX_QUEUE_SIZE: the queue never fills within a chunk

const lorem = (n: number, seed: string): string => {
  let s = '';
  while (s.length < n) s += `${seed} pod api-7f9c restarted with exit code 137 in namespace payments; `;
  return s.slice(0, n);
};

/** About 2 KB of text, shaped like an ops-agent interaction (seed 002). */
export function realisticInteraction(): InteractionRecordInput {
  return {
    question: lorem(260, 'Why does the api pod in production keep restarting since the last deploy?'),
    model: 'gpt-4o-2024-08-06',
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    cluster: 'prod-eu-1',
    clientIp: '10.20.30.40',
    userAgent: 'ops-cli/1.4.2 (linux; x64)',
    thoughts: [{ sequence: 0, content: lorem(380, 'The restarts look like OOM kills; check events, then logs, then limits.') }],
    toolCalls: [
      { sequence: 1, name: 'kubectl_get_events', input: { namespace: 'payments', fieldSelector: 'involvedObject.name=api-7f9c' }, observation: lorem(240, 'OOMKilled'), durationMs: 182, status: 'success' },
      { sequence: 2, name: 'kubectl_logs', input: { namespace: 'payments', pod: 'api-7f9c', tail: 100, previous: true }, observation: lorem(240, 'java.lang.OutOfMemoryError: Java heap space'), durationMs: 240, status: 'success' },
      { sequence: 3, name: 'kubectl_get_deployment', input: { namespace: 'payments', name: 'api', output: 'yaml' }, observation: lorem(220, 'resources.limits.memory: 512Mi'), durationMs: 95, status: 'success' },
    ],
    finalAnswer: lorem(330, 'The api container is OOMKilled: its heap outgrew the 512Mi limit after the deploy raised the cache size.'),
    status: 'success',
    totalDurationMs: 4_210,
    assistantDurationMs: 3_100,
    parseDurationMs: 12,
    metrics: [{ name: 'llm_first_token', durationMs: 640 }],
    usage: { inputTokens: 2_310, outputTokens: 412, totalTokens: 2_722 },
    metadata: { ticket: 'OPS-4411', team: 'payments', runbook: 'k8s/oom', tags: ['prod', 'oom', 'api'] },
  };
}

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1_048_576;
};

// One loop per contender keeps each call site monomorphic.
function timeAudit(fn: (o: InteractionRecordInput) => unknown, obj: InteractionRecordInput, out: Float64Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn(obj);
    out[at + i] = Number(process.hrtime.bigint() - t0);
  }
}

function timePino(log: pino.Logger, obj: object, out: Float64Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    log.info(obj);
    out[at + i] = Number(process.hrtime.bigint() - t0);
  }
}

function timePush(arr: object[], obj: object, out: Float64Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    arr.push(obj);
    out[at + i] = Number(process.hrtime.bigint() - t0);
  }
}

interface Contender {
  readonly samples: Float64Array;
  /** CPU time (user + system, process.cpuUsage) of the timed loops plus the background work between chunks, in ns. */
  busyNs: number;
}

async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const calls = ctx.quick ? 100_000 : 1_000_000;
  const obj = realisticInteraction();
  const bytes = Buffer.byteLength(JSON.stringify(obj));
  ctx.log(`object: ${bytes} bytes as JSON; ${calls.toLocaleString('en-US')} calls per contender in chunks of ${CHUNK}`);

  let diagnostics = 0;
  const logger = createAuditLogger({
    exporter: { name: 'noop', export: () => Promise.resolve({ code: 'success' }), shutdown: () => Promise.resolve() },
    context: { orgId: 'bench', sessionId: 'bench-session', userId: 'u', agentId: 'a' },
    maxQueueSize: MAX_QUEUE_SIZE,
    flushOnExit: false,
    onDiagnostic: () => diagnostics++,
  });
  const dest = pino.destination({ dest: '/dev/null', sync: false });
  await new Promise((resolve) => dest.once('ready', resolve)); // the file opens asynchronously
  const plog = pino({ base: undefined }, dest);
  const arr: object[] = [];
  const record = (o: InteractionRecordInput) => logger.recordInteraction(o);

  // Warm up every path (JIT, pools) before measuring.
  const warm = new Float64Array(CHUNK);
  for (let r = 0; r < 10; r++) {
    timeAudit(record, obj, warm, 0, CHUNK);
    await logger.flush();
    timePino(plog, obj, warm, 0, CHUNK);
    dest.flushSync();
    await tick();
    timePush(arr, obj, warm, 0, CHUNK);
    arr.length = 0;
  }
  await logger.flush();
  dest.flushSync();
  await tick();
  const before = logger.stats();
  const heapBefore = heapMb();

  const audit: Contender = { samples: new Float64Array(calls), busyNs: 0 };
  const pin: Contender = { samples: new Float64Array(calls), busyNs: 0 };
  const push: Contender = { samples: new Float64Array(calls), busyNs: 0 };
  let maxQueued = 0;
  // CPU time, not wall time: on a shared machine the wall clock also counts other processes.
  const cpuNs = (since: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) * 1_000;
  };
  for (let at = 0; at < calls; at += CHUNK) {
    const n = Math.min(CHUNK, calls - at);
    let t = process.cpuUsage();
    timeAudit(record, obj, audit.samples, at, n);
    maxQueued = Math.max(maxQueued, logger.stats().queued);
    await logger.flush();
    audit.busyNs += cpuNs(t);

    t = process.cpuUsage();
    timePino(plog, obj, pin.samples, at, n);
    dest.flushSync(); // pino's own write work, counted in its total (and its buffer stays bounded)
    await tick();
    pin.busyNs += cpuNs(t);

    t = process.cpuUsage();
    timePush(arr, obj, push.samples, at, n);
    arr.length = 0;
    await tick();
    push.busyNs += cpuNs(t);
    if ((at / CHUNK) % 40 === 0) ctx.log(`${at.toLocaleString('en-US')} / ${calls.toLocaleString('en-US')}`);
  }
  await logger.flush();
  dest.flushSync();
  await tick();
  const heapAfter = heapMb();
  const s = logger.stats();
  await logger.shutdown();

  const [aMed, aP99] = percentiles(audit.samples, [50, 99]) as [number, number];
  const [pMed, pP99] = percentiles(pin.samples, [50, 99]) as [number, number];
  const [fMed, fP99] = percentiles(push.samples, [50, 99]) as [number, number];
  const exported = s.exported - before.exported;
  const lost = s.dropped + s.rejected;
  ctx.log(`auditrail median ${aMed} p99 ${aP99}; pino median ${pMed} p99 ${pP99}; push median ${fMed} p99 ${fP99} (ns)`);
  ctx.log(`exported ${exported.toLocaleString('en-US')}, dropped ${s.dropped}, rejected ${s.rejected}, diagnostics ${diagnostics}, peak queue ${maxQueued}`);
  if (lost > 0) ctx.log(`WARNING: ${lost} records were not exported; the figures do not describe a lossless run`);

  const pinoRef = 'pino.info same object (/dev/null), median ns';
  const boundMb = (MAX_QUEUE_SIZE * (bytes * 2 + 200)) / 1_048_576;
  return [
    figure({ name: 'record.median_ns', value: aMed, unit: 'ns/call', reference: pinoRef, referenceValue: pMed, note: 'goal ratio <= 0.05' }),
    figure({ name: 'record.p99_ns', value: aP99, unit: 'ns/call', reference: 'pino.info same object (/dev/null), p99 ns', referenceValue: pP99, note: 'goal value < 5000' }),
    figure({ name: 'record.floor_push_median_ns', value: fMed, unit: 'ns/call', reference: pinoRef, referenceValue: pMed, note: `bare array push; p99 ${fP99} ns` }),
    figure({
      name: 'record.total_cpu_ns_per_call',
      value: audit.busyNs / calls,
      unit: 'ns/call',
      reference: 'pino total CPU (call + write) ns/call',
      referenceValue: pin.busyNs / calls,
      note: 'caller path + background build, validation, export',
    }),
    figure({ name: 'record.heap_after_run_mb', value: heapAfter - heapBefore, unit: 'MB', reference: `bound: maxQueueSize=${MAX_QUEUE_SIZE} records of ~${bytes} B`, referenceValue: boundMb }),
    figure({ name: 'record.peak_queue_depth', value: maxQueued, unit: 'records', reference: 'maxQueueSize', referenceValue: MAX_QUEUE_SIZE }),
    figure({ name: 'record.lost', value: lost, unit: 'records', reference: 'calls', referenceValue: calls, note: 'dropped + rejected; must be 0' }),
  ];
}

export const suite: BenchSuite = {
  name: 'record',
  description: 'cost of recording one ~2 KB interaction: auditrail recordInteraction() vs pino.info() vs array push',
  run,
};

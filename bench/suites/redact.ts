import { createRedactor } from '../../src/redaction/index.js';
import { realisticInteractions } from '../../src/redaction/test-support/realistic-interactions.js';
import { figure, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';

interface Rate {
  /** Interactions per wall-clock second. */
  perWallS: number;
  /** Interactions per second of this process's CPU time: one core's capacity, robust to a shared, oversubscribed machine. */
  perCpuS: number;
}

/** Runs fn over the interactions for about durationMs of wall time. */
function rate(items: readonly unknown[], durationMs: number, fn: (x: unknown) => unknown): Rate {
  let sink = 0;
  let done = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (const x of items) {
      const out = fn(x);
      if (out !== undefined) sink++;
    }
    done += items.length;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink < 0) console.log(sink);
  return { perWallS: (done / elapsed) * 1000, perCpuS: done / ((cpu.user + cpu.system) / 1e6) };
}

/** Free-text characters of an interaction (question, thoughts, tool inputs and outputs, answer). */
function textChars(x: unknown): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') n += v.length;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  const i = x as { question: string; thoughts: unknown; toolCalls: { input: unknown; observation: unknown }[]; finalAnswer: string };
  walk(i.question);
  walk(i.thoughts);
  i.toolCalls.forEach((c) => (walk(c.input), walk(c.observation)));
  walk(i.finalAnswer);
  return n;
}

export const suite: BenchSuite = {
  name: 'redact',
  description: 'redaction throughput, all default detectors, realistic ~2 KB interactions, one core; reference: JSON.stringify of the same interactions',
  async run(ctx: BenchContext): Promise<BenchFigure[]> {
    const items = realisticInteractions(ctx.quick ? 200 : 2000);
    const redactor = createRedactor();
    const avgChars = items.reduce((a, x) => a + textChars(x), 0) / items.length;
    const hits = items.filter((x) => redactor.redactWithReport(x as never).record !== x).length;
    ctx.log(`${items.length} interactions, ${Math.round(avgChars)} text chars each on average, ${hits} with something redacted`);
    const durationMs = ctx.quick ? 300 : 3000;
    // warm both paths, then alternate rounds so that machine noise hits both alike
    rate(items, durationMs / 3, (x) => redactor.redact(x as never));
    rate(items, durationMs / 3, (x) => JSON.stringify(x));
    const redactRates: Rate[] = [];
    const jsonRates: Rate[] = [];
    for (let round = 0; round < 3; round++) {
      redactRates.push(rate(items, durationMs, (x) => redactor.redact(x as never)));
      jsonRates.push(rate(items, durationMs, (x) => JSON.stringify(x)));
    }
    const median = (xs: Rate[], k: keyof Rate): number => xs.map((r) => r[k]).sort((a, b) => a - b)[1]!;
    const redactPerS = median(redactRates, 'perWallS');
    const jsonPerS = median(jsonRates, 'perWallS');
    const redactPerCpuS = median(redactRates, 'perCpuS');
    const jsonPerCpuS = median(jsonRates, 'perCpuS');
    ctx.log(`redact rounds ${redactRates.map((r) => Math.round(r.perWallS)).join(', ')} /s (${redactRates.map((r) => Math.round(r.perCpuS)).join(', ')} per CPU-s)`);
    ctx.log(`JSON.stringify rounds ${jsonRates.map((r) => Math.round(r.perWallS)).join(', ')} /s (${jsonRates.map((r) => Math.round(r.perCpuS)).join(', ')} per CPU-s)`);
    return [
      figure({
        name: 'redact.interactions_per_s',
        value: redactPerS,
        unit: 'interactions/s',
        reference: 'JSON.stringify of the same interactions',
        referenceValue: jsonPerS,
        note: 'goal >= 20,000/s on one core, all default detectors; wall clock, shared machine',
      }),
      figure({
        name: 'redact.interactions_per_cpu_s',
        value: redactPerCpuS,
        unit: 'interactions/CPU-s',
        reference: 'JSON.stringify of the same interactions',
        referenceValue: jsonPerCpuS,
        note: 'one core\'s capacity: counted against this process\'s CPU time, not wall time',
      }),
      figure({
        name: 'redact.text_mb_per_s',
        value: (redactPerS * avgChars) / 1e6,
        unit: 'M chars/s',
        reference: 'JSON.stringify of the same interactions (M text chars/s)',
        referenceValue: (jsonPerS * avgChars) / 1e6,
      }),
    ];
  },
};

import { createRedactor } from '../../src/redaction/index.js';
import { realisticInteractions } from '../../src/redaction/test-support/realistic-interactions.js';
import { figure, type BenchContext, type BenchFigure, type BenchSuite } from '../harness.js';

/** Runs fn over the interactions for about durationMs, returns interactions per second. */
function rate(items: readonly unknown[], durationMs: number, fn: (x: unknown) => unknown): number {
  let sink = 0;
  let done = 0;
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
  if (sink < 0) console.log(sink);
  return (done / elapsed) * 1000;
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
    const redactRates: number[] = [];
    const jsonRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      redactRates.push(rate(items, durationMs, (x) => redactor.redact(x as never)));
      jsonRates.push(rate(items, durationMs, (x) => JSON.stringify(x)));
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1]!;
    const redactPerS = median(redactRates);
    const jsonPerS = median(jsonRates);
    ctx.log(`redact rounds ${redactRates.map(Math.round).join(', ')} /s; JSON.stringify rounds ${jsonRates.map(Math.round).join(', ')} /s`);
    return [
      figure({
        name: 'redact.interactions_per_s',
        value: redactPerS,
        unit: 'interactions/s',
        reference: 'JSON.stringify of the same interactions',
        referenceValue: jsonPerS,
        note: 'goal >= 20,000/s on one core, all default detectors',
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

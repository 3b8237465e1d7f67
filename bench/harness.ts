/**
 * The benchmark harness. A suite measures figures and, in the same run, the reference each one is
 * judged against, because this machine is shared and noisy: only ratios travel.
 *
 * Suites live in bench/suites/<name>.ts and export `suite: BenchSuite`. `npm run bench` runs all
 * of them, `npm run bench -- NAME...` the named ones. Results are merged by figure name into
 * bench/results/latest.json as a list of {name, value, unit, reference, referenceValue, ratio}.
 */
export interface BenchFigure {
  /** Stable figure name, e.g. `record.median_ns`. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What the value is compared with, e.g. `pino.info same object (null destination)`. */
  readonly reference: string;
  readonly referenceValue: number;
  /** value / referenceValue; computed by the harness when omitted. */
  readonly ratio?: number;
  /** Optional free text: the goal, or what the figure means. */
  readonly note?: string;
}

export interface BenchContext {
  /** Progress lines (stderr), so stdout stays the figure table. */
  log(message: string): void;
  /** True with BENCH_QUICK=1: suites shrink their workload for a smoke run. */
  readonly quick: boolean;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<BenchFigure[]>;
}

/** Median and percentiles of a sample, in its own units. Sorts a copy. */
export function percentiles(samples: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(samples).sort();
  return ps.map((p) => {
    if (sorted.length === 0) return NaN;
    const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[idx]!;
  });
}

export function figure(f: BenchFigure): BenchFigure {
  return { ...f, ratio: f.ratio ?? (f.referenceValue === 0 ? NaN : f.value / f.referenceValue) };
}

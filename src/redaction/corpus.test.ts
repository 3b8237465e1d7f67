import { describe, expect, it } from 'vitest';
import { BUILTIN_DETECTORS } from './detectors/detector.js';
import { createRedactor } from './redactor.js';
import { CORPUS } from './test-support/corpus/index.js';
import { formatScore, scoreCorpus } from './test-support/score-corpus.js';

describe('labelled corpus', () => {
  const redactor = createRedactor();
  const score = scoreCorpus(redactor, CORPUS);
  const nearMisses = CORPUS.filter((c) => c.expect.length === 0).length;

  it('has positives for every built-in detector and near misses', () => {
    const covered = new Set(CORPUS.flatMap((c) => c.expect.map((e) => e.detector)));
    expect(BUILTIN_DETECTORS.filter((d) => !covered.has(d))).toEqual([]);
    expect(nearMisses).toBeGreaterThanOrEqual(200);
  });

  it('reaches recall >= 99% and precision >= 98% overall (table printed)', () => {
    console.log(`\n${formatScore(score, nearMisses)}\n${score.problems.join('\n')}`);
    expect(score.overall.recall).toBeGreaterThanOrEqual(0.99);
    expect(score.overall.precision).toBeGreaterThanOrEqual(0.98);
  });

  it('keeps every detector above 90% recall and precision', () => {
    const weak = score.byDetector.filter((r) => r.recall < 0.9 || r.precision < 0.9).map((r) => r.detector);
    expect(weak).toEqual([]);
  });

  it('leaves no expected value in clear after redaction', () => {
    expect(score.leaks).toBe(0);
  });
});

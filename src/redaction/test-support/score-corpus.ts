import type { RecordRedactor } from '../redactor.js';
import type { CorpusCase } from './corpus/index.js';

export interface DetectorScore {
  detector: string;
  /** Expected values fully covered by a match with the right label. */
  found: number;
  expected: number;
  /** Matches that overlap an expected value with the same label. */
  correct: number;
  matches: number;
  recall: number;
  precision: number;
}

export interface CorpusScore {
  byDetector: DetectorScore[];
  overall: DetectorScore;
  /** Human-readable misses and false alarms, for the test output. */
  problems: string[];
  /** Expected values still present in clear after redactText (whatever the label). */
  leaks: number;
}

/**
 * Scores a redactor on the labelled corpus. Recall: an expected value counts as found when one
 * match with its detector's label covers it entirely (a partial cover leaves part in clear).
 * Precision: a match is correct when it overlaps an expected value of its own label; any match
 * in a near miss, or with another label, is a false alarm.
 */
export function scoreCorpus(redactor: RecordRedactor, corpus: readonly CorpusCase[]): CorpusScore {
  const rows = new Map<string, DetectorScore>();
  const row = (d: string): DetectorScore => {
    let r = rows.get(d);
    if (!r) rows.set(d, (r = { detector: d, found: 0, expected: 0, correct: 0, matches: 0, recall: 1, precision: 1 }));
    return r;
  };
  const problems: string[] = [];
  let leaks = 0;
  for (const c of corpus) {
    const matches = redactor.inspect(c.text);
    const spans = c.expect.map((e) => {
      const start = c.text.indexOf(e.value);
      if (start === -1) throw new Error(`corpus bug: ${e.value} not in ${c.text}`);
      return { ...e, start, end: start + e.value.length };
    });
    for (const e of spans) {
      const r = row(e.detector);
      r.expected++;
      if (matches.some((m) => m.detector === e.detector && m.start <= e.start && m.end >= e.end)) r.found++;
      else problems.push(`MISS ${e.detector}: ${JSON.stringify(c.text.slice(0, 160))} got ${JSON.stringify(matches.map((m) => `${m.detector}:${c.text.slice(m.start, m.end)}`))}`);
    }
    for (const m of matches) {
      const r = row(m.detector);
      r.matches++;
      if (spans.some((e) => e.detector === m.detector && m.start < e.end && m.end > e.start)) r.correct++;
      else problems.push(`FALSE ${m.detector}: ${JSON.stringify(c.text.slice(m.start, m.end))} in ${JSON.stringify(c.text.slice(0, 160))}${c.note ? ` (${c.note})` : ''}`);
    }
    const redacted = redactor.redactText(c.text);
    leaks += spans.filter((e) => redacted.includes(e.value)).length;
  }
  const finish = (r: DetectorScore): DetectorScore => ({ ...r, recall: r.expected === 0 ? 1 : r.found / r.expected, precision: r.matches === 0 ? 1 : r.correct / r.matches });
  const byDetector = [...rows.values()].map(finish).sort((a, b) => a.detector.localeCompare(b.detector));
  const overall = finish(
    byDetector.reduce((acc, r) => ({ ...acc, found: acc.found + r.found, expected: acc.expected + r.expected, correct: acc.correct + r.correct, matches: acc.matches + r.matches }), {
      detector: 'overall',
      found: 0,
      expected: 0,
      correct: 0,
      matches: 0,
      recall: 1,
      precision: 1,
    }),
  );
  return { byDetector, overall, problems, leaks };
}

export function formatScore(score: CorpusScore, negatives: number): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);
  const lines = [`${'detector'.padEnd(24)} ${'recall'.padStart(7)} ${'precision'.padStart(9)}   found/expected  correct/matches`];
  for (const r of [...score.byDetector, score.overall]) {
    lines.push(`${r.detector.padEnd(24)} ${pct(r.recall)} ${pct(r.precision).padStart(9)}   ${`${r.found}/${r.expected}`.padStart(14)}  ${`${r.correct}/${r.matches}`.padStart(15)}`);
  }
  lines.push(`near misses: ${negatives}; values left in clear after redaction: ${score.leaks}`);
  return lines.join('\n');
}

import { describe, expect, it } from 'vitest';
import { createBuiltinDetectors } from './detectors/builtin.js';
import { BUILTIN_DETECTORS, type Detector } from './detectors/detector.js';
import { createScanner } from './scanner.js';
import { CORPUS } from './test-support/corpus/index.js';
import { realisticInteractions, seededRandom } from './test-support/realistic-interactions.js';

function scanner(detectors: Detector[]): ReturnType<typeof createScanner> {
  return createScanner({ detectors, allowValues: new Set(), allowPatterns: [], replacement: '[{detector}]', now: () => 0 });
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach((x) => strings(x, out));
  return out;
}

describe('text profile', () => {
  it('never hides a match: gated and ungated detectors find the same ranges', () => {
    const enabled = Object.fromEntries(BUILTIN_DETECTORS.map((n) => [n, true])) as Record<(typeof BUILTIN_DETECTORS)[number], boolean>;
    const gated = scanner(createBuiltinDetectors(enabled, { keepPrivate: false }));
    const ungated = scanner(createBuiltinDetectors(enabled, { keepPrivate: false }).map((d) => ({ name: d.name, mayMatch: () => true, find: d.find.bind(d) })));
    const rand = seededRandom(7);
    const pieces = CORPUS.map((c) => c.text);
    // shuffled mixtures of corpus texts, so that values meet unusual neighbours
    const mixes = Array.from({ length: 300 }, () => Array.from({ length: 4 }, () => pieces[Math.floor(rand() * pieces.length)]).join(rand() < 0.5 ? ' ' : '\n'));
    const texts = [...pieces, ...mixes, ...strings(realisticInteractions(100))];
    const differing = texts.filter((t) => JSON.stringify(gated.matches(t)) !== JSON.stringify(ungated.matches(t)));
    expect(differing).toEqual([]);
  });
});

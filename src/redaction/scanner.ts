import type { Detector, MatchSink } from './detectors/detector.js';
import { textProfile } from './text-profile.js';

/** Why a scan stopped: the record's time budget ran out, or a detector threw. */
export class ScanAbort extends Error {
  constructor(
    readonly reason: 'time_budget_exceeded' | 'detector_threw',
    readonly detector: string | undefined,
  ) {
    super(reason);
    this.name = 'ScanAbort';
  }
}

/** Per-record replacement counts, allocated on the first replacement. */
export interface Tally {
  counts: Record<string, number> | null;
}

export function tallyAdd(tally: Tally, name: string, n = 1): void {
  const counts = (tally.counts ??= {});
  counts[name] = (counts[name] ?? 0) + n;
}

export interface RedactionMatch {
  readonly start: number;
  readonly end: number;
  readonly detector: string;
}

export interface ScannerOptions {
  /** In priority order: the first wins the label when matches overlap. */
  readonly detectors: readonly Detector[];
  readonly allowValues: ReadonlySet<string>;
  readonly allowPatterns: readonly RegExp[];
  /** `{detector}` is replaced by the detector name. */
  readonly replacement: string;
  readonly now: () => number;
}

export interface Scanner {
  /**
   * The text with every detected value replaced, the same string when nothing matched. Adds the
   * replacements to `tally`. Throws ScanAbort when a detector throws or `deadline` has passed.
   */
  scan(text: string, tally: Tally, deadline: number): string;
  /** The merged matches, for inspection (dry runs, the labelled corpus). */
  matches(text: string): RedactionMatch[];
  /** The first detector (in priority order) that matches anywhere in text. */
  firstDetector(text: string): string | undefined;
  /** The replacement text for a detector or rule name. */
  marker(name: string): string;
}

/**
 * Runs the detectors over one string. Matches go into reused arrays, so a string in which
 * nothing matches allocates nothing; overlapping matches are merged into one replacement labelled
 * by the highest-priority detector, so nothing of either is left in clear.
 */
export function createScanner(options: ScannerOptions): Scanner {
  const { detectors, allowValues, allowPatterns, now } = options;
  const names = detectors.map((d) => d.name);
  const markers = new Map<string, string>();
  const marker = (name: string): string => {
    let m = markers.get(name);
    if (m === undefined) {
      m = options.replacement.replaceAll('{detector}', name);
      markers.set(name, m);
    }
    return m;
  };
  const checkAllow = allowValues.size > 0 || allowPatterns.length > 0;

  const starts: number[] = [];
  const ends: number[] = [];
  const labels: number[] = [];
  let n = 0;
  let label = 0;
  const sink: MatchSink = {
    add(start, end) {
      if (end <= start) return;
      starts[n] = start;
      ends[n] = end;
      labels[n] = label;
      n++;
    },
  };

  function allowed(text: string, start: number, end: number): boolean {
    const value = text.slice(start, end);
    return allowValues.has(value) || allowPatterns.some((p) => p.test(value));
  }

  /** Fills the arrays with the merged matches; returns their count. */
  function collect(text: string, deadline: number): number {
    n = 0;
    // nothing a built-in detector finds is shorter than 6 characters ("a@b.co"): skip the gates
    const profile = text.length < 6 ? 0 : textProfile(text);
    for (let d = 0; d < detectors.length; d++) {
      const detector = detectors[d]!;
      const requires = detector.requires ?? 0;
      if (requires !== 0 && (profile & requires) === 0) continue;
      label = d;
      try {
        if (!detector.mayMatch(text)) continue;
        detector.find(text, sink);
      } catch {
        // the error may quote the text: only the detector's name leaves this function
        throw new ScanAbort('detector_threw', detector.name);
      }
      if (deadline !== Infinity && now() > deadline) throw new ScanAbort('time_budget_exceeded', detector.name);
    }
    if (n === 0) return 0;
    if (checkAllow) {
      let kept = 0;
      for (let i = 0; i < n; i++) {
        if (allowed(text, starts[i]!, ends[i]!)) continue;
        starts[kept] = starts[i]!;
        ends[kept] = ends[i]!;
        labels[kept] = labels[i]!;
        kept++;
      }
      n = kept;
    }
    return merge();
  }

  /** Sorts by start (insertion sort: n is tiny) and unions overlapping ranges in place. */
  function merge(): number {
    for (let i = 1; i < n; i++) {
      const s = starts[i]!, e = ends[i]!, l = labels[i]!;
      let j = i - 1;
      while (j >= 0 && (starts[j]! > s || (starts[j] === s && ends[j]! < e))) {
        starts[j + 1] = starts[j]!;
        ends[j + 1] = ends[j]!;
        labels[j + 1] = labels[j]!;
        j--;
      }
      starts[j + 1] = s;
      ends[j + 1] = e;
      labels[j + 1] = l;
    }
    let out = 0;
    for (let i = 0; i < n; i++) {
      if (out > 0 && starts[i]! < ends[out - 1]!) {
        if (ends[i]! > ends[out - 1]!) ends[out - 1] = ends[i]!;
        if (labels[i]! < labels[out - 1]!) labels[out - 1] = labels[i]!;
        continue;
      }
      starts[out] = starts[i]!;
      ends[out] = ends[i]!;
      labels[out] = labels[i]!;
      out++;
    }
    n = out;
    return n;
  }

  return {
    scan(text, tally, deadline) {
      if (text.length === 0) return text;
      const count = collect(text, deadline);
      if (count === 0) return text;
      let out = '';
      let at = 0;
      for (let i = 0; i < count; i++) {
        const name = names[labels[i]!]!;
        out += text.slice(at, starts[i]) + marker(name);
        at = ends[i]!;
        tallyAdd(tally, name);
      }
      return out + text.slice(at);
    },
    matches(text) {
      const count = collect(text, Infinity);
      const result: RedactionMatch[] = [];
      for (let i = 0; i < count; i++) result.push({ start: starts[i]!, end: ends[i]!, detector: names[labels[i]!]! });
      return result;
    },
    firstDetector(text) {
      const count = collect(text, Infinity);
      if (count === 0) return undefined;
      let best = labels[0]!;
      for (let i = 1; i < count; i++) if (labels[i]! < best) best = labels[i]!;
      return names[best];
    },
    marker,
  };
}


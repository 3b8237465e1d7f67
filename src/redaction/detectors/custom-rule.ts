import { type Detector, type MatchSink } from './detector.js';

export interface CustomRuleSpec {
  readonly name: string;
  /** Compiled once at policy load; the `g` flag is added. */
  readonly regex: RegExp;
  /** Literal substrings of which every match contains one: an optional pre-filter. */
  readonly mustContain: readonly string[];
}

/**
 * A custom rule: a named regex from the policy. The whole match is replaced, or only the named
 * group `redact` when the pattern has one (`employee=(?<redact>\d{6})`).
 */
export function createCustomRuleDetector(spec: CustomRuleSpec): Detector {
  const hasGroup = spec.regex.source.includes('(?<redact>');
  const flags = new Set(`${spec.regex.flags}g${hasGroup ? 'd' : ''}`);
  const re = new RegExp(spec.regex.source, [...flags].join(''));
  const anchors = spec.mustContain;
  return {
    name: spec.name,
    mayMatch: (text) => anchors.length === 0 || anchors.some((a) => text.includes(a)),
    find(text: string, sink: MatchSink): void {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const span = hasGroup ? m.indices?.groups?.redact : undefined;
        if (span) sink.add(span[0], span[1]);
        else if (!hasGroup) sink.add(m.index, m.index + m[0].length);
      }
    },
  };
}

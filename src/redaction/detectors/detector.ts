/**
 * A detector finds one kind of sensitive value in free text. The scanner checks `requires`
 * against the string's profile, then calls `mayMatch` (a cheap necessary condition, e.g.
 * "contains `eyJ`"), and `find` only when both say yes. `find` reports the [start, end) ranges to replace; it must
 * not keep or log the text. Detectors are built per redactor (their regexes carry lastIndex).
 */
export interface Detector {
  /** Stable name: the label in `[REDACTED:<name>]` and the key of the counters. */
  readonly name: string;
  /**
   * Bits of the text profile (text-profile.ts) of which at least one must be set for this
   * detector to have a chance. The scanner profiles each string once, in one pass, and skips
   * the detectors whose bits are absent, which for most strings is all of them. 0 or absent: the
   * detector is always asked (custom rules, detectors written in code).
   */
  readonly requires?: number;
  mayMatch(text: string): boolean;
  find(text: string, sink: MatchSink): void;
}

export interface MatchSink {
  /** Reports text[start, end) as sensitive. */
  add(start: number, end: number): void;
}

/** The built-in detector names, in priority order (the first wins when two matches overlap). */
export const BUILTIN_DETECTORS = [
  'private_key',
  'jwt',
  'anthropic_key',
  'openai_key',
  'aws_access_key_id',
  'aws_secret_access_key',
  'github_token',
  'gitlab_token',
  'slack_token',
  'slack_webhook',
  'stripe_key',
  'google_api_key',
  'bearer_token',
  'url_password',
  'secret_assignment',
  'cn_resident_id',
  'payment_card',
  'iban',
  'email',
  'phone',
  'ipv6',
  'ipv4',
] as const;
export type BuiltinDetectorName = (typeof BUILTIN_DETECTORS)[number];

/** [A-Za-z0-9_] by char code. */
export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** True when text[i] exists and is [A-Za-z0-9_] (or one of `extra`). */
export function isWordAt(text: string, i: number, extra = ''): boolean {
  if (i < 0 || i >= text.length) return false;
  return isWordCode(text.charCodeAt(i)) || (extra !== '' && extra.includes(text[i]!));
}

/**
 * Runs a global regex over text and hands each candidate to `onMatch`, which returns false to
 * reject it: the scan then resumes one character after the candidate's start, so a rejected
 * candidate cannot hide a valid match that overlaps it ("0086 138…" → "138…"). Skips empty matches.
 */
export function eachMatch(re: RegExp, text: string, onMatch: (m: RegExpExecArray) => boolean | void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (onMatch(m) === false) re.lastIndex = m.index + 1;
  }
}

/** Character classes of a token, for "looks random" checks on key bodies. */
export function charClasses(s: string): { digit: boolean; upper: boolean; lower: boolean } {
  return { digit: /[0-9]/.test(s), upper: /[A-Z]/.test(s), lower: /[a-z]/.test(s) };
}

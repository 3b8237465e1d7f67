import { P_AT } from '../text-profile.js';
import { isWordCode, type Detector, type MatchSink } from './detector.js';

const DOT = 46;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/** Local-part characters we accept: [A-Za-z0-9._%+-]. */
function isLocal(c: number): boolean {
  return isWordCode(c) || c === DOT || c === 37 || c === 43 || c === 45;
}

function isLabelChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Email addresses, found from each `@` outwards (linear, no regex backtracking on long tokens).
 * The domain needs at least two labels and an alphabetic top-level label of 2+ letters, so
 * `user@localhost`, `pkg@1.2.3` and `@decorators` are not emails. A URL's userinfo
 * (`scheme://user:pass@host`, `ssh://git@host`) and scp-style `git@host:path` are left to the
 * URL detectors: they are credentials or hosts, not someone's address; `icon@2x.png` is an image.
 */
export function createEmailDetector(): Detector {
  return {
    name: 'email',
    requires: P_AT,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      let at = text.indexOf('@');
      while (at !== -1) {
        const end = domainEnd(text, at + 1);
        const start = localStart(text, at);
        if (end > 0 && start >= 0 && !inUrlAuthority(text, start) && !scpStyle(text, end) && !retinaImage(text, at + 1)) sink.add(start, end);
        at = text.indexOf('@', Math.max(at + 1, end));
      }
    },
  };
}

/** Start of the local part ending before `at`, or -1 when there is none (or it is too long). */
function localStart(text: string, at: number): number {
  let s = at;
  while (s > 0 && isLocal(text.charCodeAt(s - 1))) {
    s--;
    if (at - s > MAX_LOCAL) return -1;
  }
  while (s < at && text.charCodeAt(s) === DOT) s++;
  if (s === at || text.charCodeAt(at - 1) === DOT) return -1;
  return s;
}

/** End of a valid domain starting at `from`, or -1. Takes the longest run of labels whose last is a TLD. */
function domainEnd(text: string, from: number): number {
  let i = from;
  let best = -1;
  let labels = 0;
  while (i < text.length && i - from <= MAX_DOMAIN) {
    const labelStart = i;
    let allAlpha = true;
    while (i < text.length && isLabelChar(text.charCodeAt(i))) {
      if (!isAlpha(text.charCodeAt(i))) allAlpha = false;
      i++;
    }
    const len = i - labelStart;
    if (len === 0 || len > 63 || text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) break;
    labels++;
    if (labels >= 2 && allAlpha && len >= 2 && len <= 24) best = i;
    if (text.charCodeAt(i) !== DOT || !isLabelChar(text.charCodeAt(i + 1))) break;
    i++;
  }
  return best;
}

/** `scheme://[user[:pass]]@host`: the part before `@` belongs to a URL authority. */
function inUrlAuthority(text: string, localStart: number): boolean {
  let i = localStart - 1;
  if (i >= 0 && text.charCodeAt(i) === 58) {
    // user:pass@ — look back for "://" before any whitespace or slash
    i--;
    while (i >= 0 && text.charCodeAt(i) > 32 && text.charCodeAt(i) !== 47) i--;
  }
  return i >= 2 && text.charCodeAt(i) === 47 && text.charCodeAt(i - 1) === 47 && text.charCodeAt(i - 2) === 58;
}

/** `git@github.com:org/repo.git`: followed by `:` and a path. */
function scpStyle(text: string, end: number): boolean {
  if (text.charCodeAt(end) !== 58) return false;
  const next = text.charCodeAt(end + 1);
  return isWordCode(next) || next === 47 || next === 126;
}

/** `icon@2x.png`: an image density suffix, not a domain. */
function retinaImage(text: string, domainStart: number): boolean {
  return /^\d(?:\.\d)?x\./.test(text.slice(domainStart, domainStart + 6));
}

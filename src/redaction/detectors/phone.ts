import { P_NUMBER } from '../text-profile.js';
import { eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';

/**
 * International numbers written with `+` (E.164: country code 1-9, 8 to 15 digits in all, with
 * spaces, dots, dashes or a parenthesized area code between digits); each step takes one digit,
 * so the pattern is linear.
 */
const INTERNATIONAL = /\+[1-9](?:[ .-]?(?:\(\d{1,4}\)|\d)){6,17}/g;

/**
 * Chinese mobile numbers: 1[3-9]x plus 8 digits, bare (13812345678) or grouped 3-4-4, with an
 * optional +86 / 86 prefix. Not part of a longer number or word.
 */
const CN_MOBILE = /(?:\+?86[ -]?)?1[3-9]\d(?:\d{8}|([ -])\d{4}\1\d{4})/g;

/** Counts digits in text[start, end). */
function digitCount(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * Phone numbers: international (E.164-style with `+`) and Chinese mobile. National formats of
 * other countries without `+` (e.g. `(555) 123-4567`) are not detected: without a country marker
 * they are indistinguishable from order numbers and counters.
 */
export function createPhoneDetector(): Detector {
  const intl = new RegExp(INTERNATIONAL.source, 'g');
  const cn = new RegExp(CN_MOBILE.source, 'g');
  return {
    name: 'phone',
    requires: P_NUMBER,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      if (text.includes('+')) {
        eachMatch(intl, text, (m) => {
          const start = m.index;
          let end = start + m[0].length;
          if (isWordAt(text, start - 1, '+')) return false;
          if (isWordAt(text, end)) return false; // runs into more digits or a word: not a phone number
          const n = digitCount(text, start, end);
          if (n < 8 || n > 15) return false;
          while (end > start && !/[\d)]/.test(text[end - 1]!)) end--;
          sink.add(start, end);
        });
      }
      eachMatch(cn, text, (m) => {
        const start = m.index;
        const end = start + m[0].length;
        if (isWordAt(text, start - 1, '+.-') || isWordAt(text, end, '-')) return false;
        if (text[end] === '.' && /\d/.test(text[end + 1] ?? '')) return false;
        sink.add(start, end);
      });
    },
  };
}

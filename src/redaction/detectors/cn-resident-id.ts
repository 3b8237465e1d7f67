import { cnIdCheckChar, daysInMonth } from './checksums.js';
import { P_NUMBER } from '../text-profile.js';
import { eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';

const CANDIDATE = /[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]/g;

/** First two digits: the province-level region codes of GB/T 2260 (incl. 71 Taiwan, 81/82 HK/MO). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
]);

/**
 * Chinese resident identity numbers (GB 11643-1999): 18 characters, a province code, a real
 * birth date not in the future, and the ISO 7064 MOD 11-2 check character. An 18-digit number
 * that fails any of these (order ids, snowflake ids) is not redacted. The old 15-digit form
 * (before 1999, no checksum) is not detected.
 */
export function createCnResidentIdDetector(nowMs: number = Date.now()): Detector {
  const re = new RegExp(CANDIDATE.source, 'g');
  const now = new Date(nowMs);
  const today = now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
  return {
    name: 'cn_resident_id',
    requires: P_NUMBER,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const start = m.index;
        const end = start + 18;
        if (isWordAt(text, start - 1) || isWordAt(text, end)) return false;
        const id = m[0];
        if (!PROVINCES.has(Number(id.slice(0, 2)))) return false;
        const year = Number(id.slice(6, 10));
        const month = Number(id.slice(10, 12));
        const day = Number(id.slice(12, 14));
        if (day > daysInMonth(year, month)) return false;
        if (year * 10000 + month * 100 + day > today) return false;
        if (cnIdCheckChar(id) !== id[17]!.toUpperCase()) return false;
        sink.add(start, end);
      });
    },
  };
}

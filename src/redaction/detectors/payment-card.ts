import { luhnValid } from './checksums.js';
import { P_NUMBER } from '../text-profile.js';
import { eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';

/** Contiguous 13-19 digits, or the printed groupings 4-4-4-4(-3), 4-4-4-1, 4-6-5 (Amex), 4-6-4 (Diners). */
const CANDIDATE = /\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5}/g;

/** Issuer prefixes (IIN ranges) with the lengths each network issues. */
function issuerAccepts(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if (p2 >= 51 && p2 <= 55) return n === 16; // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return n === 16; // Mastercard 2-series
  if (p4 >= 2200 && p4 <= 2204) return n >= 16 && n <= 19; // Mir
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) return n >= 16 && n <= 19; // Discover
  if (p2 === 62) return n >= 16 && n <= 19; // UnionPay
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19; // Diners Club
  if ([5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].includes(p4)) return n >= 13 && n <= 19; // Maestro
  return false;
}

/**
 * Payment card numbers (PANs): 13-19 digits, bare or in the printed groupings, with a known
 * issuer prefix for that length and a valid Luhn check digit. Luhn-failing numbers, unknown
 * prefixes (e.g. epoch-millisecond timestamps starting with 1) and numbers glued to letters or
 * other digits (order ids like `ORD-4111…`) are not redacted.
 */
export function createPaymentCardDetector(): Detector {
  const re = new RegExp(CANDIDATE.source, 'g');
  return {
    name: 'payment_card',
    requires: P_NUMBER,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const start = m.index;
        const end = start + m[0].length;
        if (isWordAt(text, start - 1, '-') || isWordAt(text, end, '-')) return false;
        const digits = m[1] || m[2] ? m[0].replace(/[ -]/g, '') : m[0];
        if (digits.length < 13 || digits.length > 19) return false;
        if (!issuerAccepts(digits) || !luhnValid(digits)) return false;
        sink.add(start, end);
      });
    },
  };
}

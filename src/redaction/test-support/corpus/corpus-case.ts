import { Buffer } from 'node:buffer';
import type { BuiltinDetectorName } from '../../detectors/detector.js';
import { cnIdCheckChar } from '../../detectors/checksums.js';
import { seededRandom } from '../realistic-interactions.js';

/** One labelled sample: a text as it appears in prompts, tool output or logs, and what must be found. */
export interface CorpusCase {
  readonly text: string;
  /** Every sensitive value in the text and the detector that must replace it; empty for a near miss. */
  readonly expect: readonly { readonly detector: BuiltinDetectorName; readonly value: string }[];
  /** For near misses: why it looks sensitive and is not. */
  readonly note?: string;
}

/** A positive: `template` with `{}` replaced by `value`. */
export function pos(detector: BuiltinDetectorName, value: string, template = '{}'): CorpusCase {
  return { text: template.replace('{}', value), expect: [{ detector, value }] };
}

/** A near miss: nothing in `text` may be redacted. */
export function neg(text: string, note: string): CorpusCase {
  return { text, expect: [], note };
}

export const rand = seededRandom(20261122);

export function randomChars(alphabet: string, n: number, r: () => number = rand): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

export const DIGITS = '0123456789';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const BASE64URL = `${ALNUM}-_`;

/** Appends the Luhn check digit to a partial number. */
export function luhnComplete(partial: string): string {
  let sum = 0;
  let double = true;
  for (let i = partial.length - 1; i >= 0; i--) {
    let d = Number(partial[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return partial + String((10 - (sum % 10)) % 10);
}

/** A card number of `length` digits starting with `prefix`, with a valid Luhn digit. */
export function card(prefix: string, length: number): string {
  return luhnComplete(prefix + randomChars(DIGITS, length - prefix.length - 1));
}

/** Groups digits as printed: 4-4-4-4(-3) or Amex 4-6-5 / Diners 4-6-4. */
export function grouped(digits: string, sep = ' '): string {
  if (digits.length === 15 || digits.length === 14) return [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)].join(sep);
  return digits.match(/.{1,4}/g)!.join(sep);
}

/** A resident id number with a valid check character. */
export function cnResidentId(region6: string, birth8: string, seq3: string): string {
  const first17 = region6 + birth8 + seq3;
  return first17 + cnIdCheckChar(first17);
}

/** An IBAN with valid check digits for a country and a BBAN. */
export function iban(country: string, bban: string): string {
  const s = `${bban}${country}00`;
  let rem = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    rem = c >= 65 ? (rem * 100 + (c - 55)) % 97 : (rem * 10 + (c - 48)) % 97;
  }
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

export function spaced4(s: string): string {
  return s.match(/.{1,4}/g)!.join(' ');
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, signatureChars = 43): string {
  return `${b64url(header)}.${b64url(payload)}.${randomChars(BASE64URL, signatureChars)}`;
}

import { ibanMod97Valid } from './checksums.js';
import { P_IBAN } from '../text-profile.js';
import { eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';

/** IBAN length per country (ISO 13616 registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** Country code, check digits, then the BBAN bare or in groups of four separated by single spaces. */
const CANDIDATE = /[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?/g;

function valid(compact: string): boolean {
  const len = IBAN_LENGTHS[compact.slice(0, 2)];
  return len === compact.length && ibanMod97Valid(compact);
}

/**
 * IBANs: a registered country code, that country's length and the mod-97 check (ISO 13616).
 * When a candidate swallowed a following upper-case word or group, trailing groups are dropped
 * until it validates.
 */
export function createIbanDetector(): Detector {
  const re = new RegExp(CANDIDATE.source, 'g');
  return {
    name: 'iban',
    requires: P_IBAN,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const start = m.index;
        if (isWordAt(text, start - 1)) return false;
        let candidate = m[0];
        for (;;) {
          const end = start + candidate.length;
          if (!isWordAt(text, end) && valid(candidate.replace(/ /g, ''))) {
            sink.add(start, end);
            return true;
          }
          const cut = candidate.lastIndexOf(' ');
          if (cut < 15) return false;
          candidate = candidate.slice(0, cut);
        }
      });
    },
  };
}

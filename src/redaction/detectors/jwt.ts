import { Buffer } from 'node:buffer';
import { P_TOKEN } from '../text-profile.js';
import { eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';

/** Three (JWS) to five (JWE) base64url parts; the header always starts `eyJ` (`{"`). */
const CANDIDATE = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g;

function headerHasAlg(part: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * JSON Web Tokens (JWS and JWE compact forms): base64url parts whose header decodes to a JSON
 * object with an `alg`. Base64 JSON that is not a JOSE header, and `eyJ` in prose, stay.
 */
export function createJwtDetector(): Detector {
  const re = new RegExp(CANDIDATE.source, 'g');
  return {
    name: 'jwt',
    requires: P_TOKEN,
    mayMatch: (text) => text.includes('eyJ'),
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const start = m.index;
        let token = m[0];
        const parts = token.split('.');
        // "h.p.s." at the end of a sentence: the last dot is punctuation, not an empty fifth part
        if (parts.length > 3 && parts[parts.length - 1] === '') token = token.slice(0, -1);
        if (isWordAt(text, start - 1, '-')) return false;
        if (parts[1]!.length === 0 || !headerHasAlg(parts[0]!)) return false;
        sink.add(start, start + token.length);
      });
    },
  };
}

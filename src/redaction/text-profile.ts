/**
 * A string's profile: which families of detectors could match in it, found with a handful of
 * native scans (three small regexes and two substring searches) instead of asking each of the ~22
 * detectors. Strings in a record are short and most hold nothing sensitive, so these gates are
 * most of the cost of redaction; a hand-written one-pass JavaScript loop was measured 3-6x slower
 * than these native scans, so the gates are regexes. The profile is a bit set (no allocation unless a digit gate matches).
 */
export const P_TOKEN = 1 << 0; // a secret-token prefix (sk-, ghp_, glpat-, xoxb-, sk_live_, AKIA, AIza, eyJ), PEM dashes, ://, hooks.slack.com/
export const P_KEYWORD = 1 << 1; // a key naming a secret followed by = or : (password=, "api_key":), --password, bearer, authorization
export const P_NUMBER = 1 << 2; // 11+ digits, grouped digits (1234 5678, 138-1234), or + then a digit
export const P_IPV4 = 1 << 3; // a dotted quad
export const P_IBAN = 1 << 4; // two upper-case letters then two digits (DE89)
export const P_AT = 1 << 5; // '@'
export const P_COLONS = 1 << 6; // '::' or seven hex groups joined by colons (IPv6)

const TOKEN_GATE = /(?:sk|[rp]k|gh[pousr]|github|whsec)_|(?:sk|gl[a-z]{1,5}|xox[a-z]|xapp)-|A(?:KIA|SIA|BIA|CCA|Iza)|eyJ|-----|:\/\/|hooks\.slack\.com\//;
const KEYWORD_GATE = /(?:pass(?:word|wd|phrase)?|pwd|(?:secret|api|access|private|encryption|signing|master)[_-]?key|secret|token|auth)(?:["']?[ \t]*[:=]|>)|bearer\s|authorization|--[a-z-]*(?:pass|pwd|secret|key|token|auth)/i;
/** One scan for the digit families; group 1 = dotted quad, group 2 = IBAN head, else a long or grouped number. */
const DIGIT_GATE = /\d(?:(\d{0,2}\.\d{1,3}\.\d{1,3}\.\d)|\d{10}|\d{2,3}[ -]\d{4})|([A-Z]{2}\d{2})|\+\d/g;
const DIGIT_BITS = P_NUMBER | P_IPV4 | P_IBAN;
const IPV6_FULL = /[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}/;

/** The digit families present; gives up after a few matches and answers "all" (tables of numbers). */
function digitBits(text: string): number {
  DIGIT_GATE.lastIndex = 0;
  let bits = 0;
  for (let k = 0; k < 8; k++) {
    const m = DIGIT_GATE.exec(text);
    if (m === null) return bits;
    bits |= m[1] !== undefined ? P_IPV4 : m[2] !== undefined ? P_IBAN : P_NUMBER;
    if (bits === DIGIT_BITS) return bits;
  }
  return DIGIT_BITS;
}

/** At least seven colons (memchr-fast), the minimum of a full-form IPv6 address. */
function sevenColons(text: string): boolean {
  let i = -1;
  for (let k = 0; k < 7; k++) {
    i = text.indexOf(':', i + 1);
    if (i === -1) return false;
  }
  return true;
}

export function textProfile(text: string): number {
  let flags = 0;
  if (TOKEN_GATE.test(text)) flags |= P_TOKEN;
  if (KEYWORD_GATE.test(text)) flags |= P_KEYWORD;
  flags |= digitBits(text);
  if (text.includes('@')) flags |= P_AT;
  if (text.includes('::') || (sevenColons(text) && IPV6_FULL.test(text))) flags |= P_COLONS;
  return flags;
}

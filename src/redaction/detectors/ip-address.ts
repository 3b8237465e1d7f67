import { P_COLONS, P_IPV4 } from '../text-profile.js';
import { eachMatch, isWordAt, type Detector, type MatchSink } from './detector.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Cheap candidate; octets (0-255, no leading zeros) are checked in code. */
const IPV4 = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;

function octetsValid(parts: readonly string[]): boolean {
  return parts.every((p) => (p.length === 1 || p[0] !== '0') && Number(p) <= 255);
}

/** "version 1.2.3.4", "v1.2.3.4", "build: 10.0.19045.1"... : a dotted quad that is a version number. */
const VERSION_BEFORE = /(?:\b(?:version|ver\.?|release|build)\s*[:=]?\s*|\bv)$/i;

export interface IpOptions {
  /** Leave private, loopback, link-local and shared (CGNAT) ranges in clear. */
  readonly keepPrivate: boolean;
}

function isPrivateV4(a: number, b: number): boolean {
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/**
 * IPv4 addresses as dotted quads (each octet 0-255, no leading zeros). Not part of a longer dotted
 * run (OIDs, 1.2.3.4.5), not preceded by a version marker (`v1.2.3.4`, `version 1.2.3.4`,
 * `Chrome/120.0.0.0`). The
 * addresses that identify nobody stay: 0.0.0.0, loopback 127/8 and netmasks starting with 255.
 */
export function createIpv4Detector(options: IpOptions): Detector {
  const re = new RegExp(IPV4.source, 'g');
  return {
    name: 'ipv4',
    requires: P_IPV4,
    mayMatch: (text) => text.includes('.'),
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const start = m.index;
        const end = start + m[0].length;
        if (isWordAt(text, start - 1) || isWordAt(text, end)) return false;
        if (text[start - 1] === '.' || (text[end] === '.' && isWordAt(text, end + 1))) return false;
        const text4 = m[0].split('.');
        if (!octetsValid(text4)) return false;
        const a = Number(text4[0]);
        const b = Number(text4[1]);
        if (a === 0 || a === 127 || a === 255) return false;
        if (options.keepPrivate && isPrivateV4(a, b)) return false;
        if (VERSION_BEFORE.test(text.slice(Math.max(0, start - 12), start))) return false;
        // Chrome/120.0.0.0: a product version token, not a host (URLs have "//" before the host)
        if (text[start - 1] === '/' && /[A-Za-z]/.test(text[start - 2] ?? '')) return false;
        sink.add(start, end);
      });
    },
  };
}

/** A run of hex groups and colons (and a dotted IPv4 tail), validated afterwards. */
const IPV6_CANDIDATE = /[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}/g;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const V4_TAIL = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** Groups an address text stands for (8 when valid), or -1. */
function ipv6Groups(s: string): number {
  const halves = s.split('::');
  if (halves.length > 2) return -1;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    const half = halves[h]!;
    if (half === '') continue;
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (HEX_GROUP.test(p)) groups++;
      else if (h === halves.length - 1 && i === parts.length - 1 && V4_TAIL.test(p)) groups += 2;
      else return -1;
    }
  }
  if (halves.length === 2) return groups <= 7 ? 8 : -1;
  return groups === 8 ? 8 : -1;
}

function isPrivateV6(s: string): boolean {
  const l = s.toLowerCase();
  return /^f[cd][0-9a-f]{0,2}:/.test(l) || /^fe[89ab][0-9a-f]?:/.test(l);
}

/**
 * IPv6 addresses: full, `::`-compressed and IPv4-embedded forms, validated group by group.
 * Needs a digit (so words like `dead::beef` and `Foo::Bar` stay) and at least three groups written
 * or a `::` (so `12:34:56` clock times and MAC addresses stay). `::` and `::1` identify nobody.
 */
export function createIpv6Detector(options: IpOptions): Detector {
  const re = new RegExp(IPV6_CANDIDATE.source, 'g');
  return {
    name: 'ipv6',
    requires: P_COLONS,
    mayMatch: () => true,
    find(text: string, sink: MatchSink): void {
      eachMatch(re, text, (m) => {
        const start = m.index;
        let s = m[0];
        if (isWordAt(text, start - 1, ':.')) return false;
        // a sentence colon after the address ("at fe80::1: timeout") is not part of it
        if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
        const end = start + s.length;
        if (isWordAt(text, end) || (text[end] === ':' && s === m[0])) return false;
        if (ipv6Groups(s) !== 8 || !/\d/.test(s)) return false;
        if (s === '::' || s === '::1') return false;
        if (options.keepPrivate && isPrivateV6(s)) return false;
        sink.add(start, end);
      });
    },
  };
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from './errors.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it('documents every code in docs/errors.md with its status and how to solve it', () => {
    for (const s of Object.values(ERRORS)) {
      const at = doc.indexOf(`## ${s.code}\n`);
      expect(at, `${s.code} missing from docs/errors.md`).toBeGreaterThanOrEqual(0);
      const section = doc.slice(at, doc.indexOf('\n## ', at + 1) === -1 ? undefined : doc.indexOf('\n## ', at + 1));
      expect(section).toContain(`**HTTP status:** ${s.status}`);
      expect(section).toContain('**How to solve:**');
    }
  });

  it('uses each code once and only the AUDITRAIL_ERR_ prefix', () => {
    const codes = Object.values(ERRORS).map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^AUDITRAIL_ERR_[A-Z0-9_]+$/);
  });

  it('documents no code that the catalogue lacks', () => {
    const documented = [...doc.matchAll(/^## (AUDITRAIL_ERR_[A-Z0-9_]+)$/gm)].map((m) => m[1]);
    const known = new Set(Object.values(ERRORS).map((s) => s.code as string));
    expect(documented.filter((c) => !known.has(c!))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { BUILTIN_DETECTORS } from './detectors/detector.js';
import { resolvePolicy } from './policy.js';
import { regexSafetyProblem } from './regex-safety.js';

describe('redaction policy', () => {
  it('turns every built-in detector on by default and freezes the result', () => {
    const p = resolvePolicy();
    expect(Object.keys(p.detectors).sort()).toEqual([...BUILTIN_DETECTORS].sort());
    expect(Object.values(p.detectors).every(Boolean)).toBe(true);
    expect(p).toMatchObject({ keepPrivateIps: false, replacement: '[REDACTED:{detector}]', failureMarker: '[REDACTION_FAILED]', timeBudgetMs: 100, parseJsonStrings: true });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.detectors)).toBe(true);
    expect(() => ((p as { timeBudgetMs: number }).timeBudgetMs = 1)).toThrow(TypeError);
  });

  it('lists every problem at once with its path', () => {
    try {
      resolvePolicy({
        detectors: { email: 'yes' as unknown as boolean, nope: true } as never,
        customRules: [{ name: 'Bad Name', pattern: '(' }, { name: 'phone', pattern: 'x' }],
        fieldRules: [{ path: 'eventId', action: 'mask' }],
        replacement: '',
        timeBudgetMs: 0,
        allow: { patterns: ['[unclosed'] },
      });
      expect.unreachable();
    } catch (err) {
      expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
      const paths = (err as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
      expect(paths).toEqual(
        expect.arrayContaining(['detectors', 'detectors.email', 'customRules.0.name', 'customRules.0.pattern', 'fieldRules.0.path', 'replacement', 'timeBudgetMs']),
      );
    }
  });

  it('accepts RegExp objects and strings with flags for custom rules and allow patterns', () => {
    const p = resolvePolicy({ customRules: [{ name: 'a', pattern: /emp-\d+/gi }, { name: 'b', pattern: 'EMP-\\d+', flags: 'i' }], allow: { patterns: [/x+/] } });
    expect(p.customRules.map((r) => r.regex.flags)).toEqual(['i', 'i']);
    expect(p.allowPatterns[0]!.test('xxx')).toBe(true);
    expect(p.allowPatterns[0]!.test('xxxy')).toBe(false);
  });

  it('requires a hash key of 16+ characters or bytes', () => {
    expect(() => resolvePolicy({ hashKey: 'short' })).toThrow(/hashKey/);
    expect(resolvePolicy({ hashKey: new Uint8Array(32), fieldRules: [{ path: 'userId', action: 'hash' }] }).fieldRules[0]!.name).toBe('field_hash');
  });
});

describe('regex safety check', () => {
  it.each(['(a+)+', '(a*)*b', '^(\\w+\\s?)*$', '(?:x*y)+', '((ab)+c)*', '(\\d{1,40}){2,}', '(.*,)*x'])('refuses nested repetition: %s', (src) => {
    expect(regexSafetyProblem(src)).toMatch(/nested quantifier/);
  });

  it.each(['(a)\\1', '(?<x>a)\\k<x>'])('refuses backreferences: %s', (src) => {
    expect(regexSafetyProblem(src)).toMatch(/backreference/);
  });

  it.each(['EMP-\\d{6}', '(?:foo|bar)+', '[a-z]+@[a-z]+\\.com', '(ab){2}(cd)?', 'ticket=(?<redact>[a-z0-9]{8})', '[(]+\\)', '\\(a+\\)+', '(a{1,3}){1,4}'])('accepts %s', (src) => {
    expect(regexSafetyProblem(src)).toBeUndefined();
  });
});

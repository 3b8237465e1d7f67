import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { normalizeRecord } from '../core/normalize.js';
import type { AuditRecord } from '../core/record.js';
import { canonicalJson, canonicalRecordJson } from './canonical-json.js';
import { fixtureRecords } from './test-support/chain-fixture.js';
import { VECTOR_RECORDS } from './test-support/vectors.js';

describe('canonical JSON (RFC 8785 JCS, nulls left out)', () => {
  it('matches the RFC 8785 §3.2.2 example for numbers, strings and literals', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts members by UTF-16 code units as in the RFC 8785 §3.2.3 example', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse puts the integer-like key first; compare the text order instead.
    const text = canonicalJson(input);
    const order = ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(`"${k}"`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(keys).toHaveLength(7);
  });

  it('leaves out null members at every depth but keeps null array elements', () => {
    expect(canonicalJson({ b: null, a: { y: null, x: [null, 1, { z: null }] } })).toBe('{"a":{"x":[null,1,{}]}}');
  });

  it('writes what JSON.stringify would: toJSON, undefined and functions dropped, non-finite numbers as absent', () => {
    const value = { when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), gone: undefined, fn: () => 1, nan: Number.NaN, inf: Infinity, list: [undefined, () => 1, Number.NaN] };
    expect(canonicalJson(value)).toBe('{"list":[null,null,null],"when":"2026-01-02T03:04:05.006Z"}');
  });

  it('writes negative zero as 0 and large or tiny numbers in ECMAScript form', () => {
    expect(canonicalJson([-0, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2])).toBe('[0,1e+21,1e-7,123456789012345680000,0.30000000000000004]');
  });

  it('keeps text as given (no Unicode normalization) and escapes only what JSON must', () => {
    // "é" precomposed and decomposed stay different.
    expect(canonicalJson(['\u00e9', 'e\u0301', '\u2028', '\u007f', '\t"\\'])).toBe('["\u00e9","e\u0301","\u2028","\u007f","\\t\\"\\\\"]');
  });

  it('escapes an unpaired surrogate as lowercase \\udxxx so every string has one form', () => {
    expect(canonicalJson('a\ud800b\uDFFF')).toBe('"a\\ud800b\\udfff"');
  });

  it('refuses a BigInt and a cycle with AUDITRAIL_ERR_INTEGRITY_INPUT_INVALID', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const bad of [{ n: 1n }, cyclic]) {
      let caught: unknown;
      try {
        canonicalJson(bad);
      } catch (err) {
        caught = err;
      }
      expect(isAuditrailError(caught, 'INTEGRITY_INPUT_INVALID')).toBe(true);
    }
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });

  it('writes a record exactly as canonicalJson(normalizeRecord(record)), timestamps of children included', () => {
    const [event, , , interaction] = fixtureRecords(4);
    if (interaction!.kind !== 'interaction') throw new Error('fixture 3 is an interaction');
    const records: AuditRecord[] = [
      ...VECTOR_RECORDS,
      ...fixtureRecords(200),
      { ...event!, timestamp: '2026-01-15T16:30:00.123456+08:00' },
      {
        ...interaction!,
        timestamp: '2026-01-15T09:15:00+08:00',
        thoughts: [
          { sequence: 0, content: 'a', timestamp: '2026-01-15T09:15:01.5+08:00' },
          { sequence: 1, content: 'b', timestamp: null },
          { sequence: 2, content: 'c' },
        ],
        toolCalls: [{ ...interaction!.toolCalls[0]!, startedAt: '2026-01-15T01:15:02Z' }, { ...interaction!.toolCalls[0]!, startedAt: null, input: null }],
      },
    ];
    for (const r of records) expect(canonicalRecordJson(r)).toBe(canonicalJson(normalizeRecord(r)));
  });

  it('refuses a record whose timestamp is not a date-time', () => {
    const [event] = fixtureRecords(1);
    const bad: AuditRecord = { ...event!, timestamp: 'yesterday' };
    expect(() => canonicalRecordJson(bad)).toThrow(/not a date-time/);
  });
});

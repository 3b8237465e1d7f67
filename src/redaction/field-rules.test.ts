import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { createRedactor } from './redactor.js';
import { event, interaction } from './test-support/records.js';

const KEY = 'test-hash-key-0123456789abcdef';

describe('field rules', () => {
  it('drops, masks and hashes the values at their paths', () => {
    const r = createRedactor({
      fieldRules: [
        { path: 'toolCalls.*.input.password', action: 'drop' },
        { path: 'metadata.customer.email', action: 'hash' },
        { path: 'metadata.customer.name', action: 'mask', name: 'customer_name' },
      ],
      hashKey: KEY,
    });
    const out = r.redact(
      interaction({
        toolCalls: [{ sequence: 0, name: 'login', input: { user: 'bob', password: 'x' }, status: 'success' }],
        metadata: { customer: { email: 'bob@example.com', name: 'Bob Li', tier: 'gold' } },
      }),
    );
    if (out.kind !== 'interaction') throw new Error('kind changed');
    expect(out.toolCalls[0]!.input).toEqual({ user: 'bob' });
    expect(out.metadata.customer).toEqual({ email: expect.stringMatching(/^hmac:[0-9a-f]{32}$/), name: '[REDACTED:customer_name]', tier: 'gold' });
    expect(r.stats().redactions).toEqual({ field_drop: 1, field_hash: 1, customer_name: 1 });
  });

  it('hashes stably under one key, differently under another, so hashed values stay joinable', () => {
    const rule = { fieldRules: [{ path: 'userId', action: 'hash' as const }] };
    const a = createRedactor({ ...rule, hashKey: KEY });
    const b = createRedactor({ ...rule, hashKey: `${KEY}-other` });
    const h = (r: typeof a, userId: string): string => (r.redact(event({ userId })) as { userId: string }).userId;
    expect(h(a, 'alice')).toBe(h(a, 'alice'));
    expect(h(a, 'alice')).not.toBe(h(a, 'bob'));
    expect(h(a, 'alice')).not.toBe(h(b, 'alice'));
    expect(h(a, 'alice')).not.toContain('alice');
  });

  it('matches * as one segment and ** as any number, array indexes included', () => {
    const r = createRedactor({ fieldRules: [{ path: 'actionParams.**.ssn', action: 'mask' }, { path: 'actionParams.rows.*.1', action: 'drop' }] });
    const out = r.redact(event({ actionParams: { ssn: 'a', deep: { x: [{ ssn: 'b' }] }, rows: [['k', 'v1', 'z'], ['k', 'v2']] } }));
    expect(out).toMatchObject({ actionParams: { ssn: '[REDACTED:field_mask]', deep: { x: [{ ssn: '[REDACTED:field_mask]' }] }, rows: [['k', 'z'], ['k']] } });
  });

  it('reaches into a tool input sent as a JSON string', () => {
    const r = createRedactor({ fieldRules: [{ path: 'toolCalls.*.input.password', action: 'mask' }] });
    const out = r.redact(interaction({ toolCalls: [{ sequence: 0, name: 'login', input: '{"user":"bob","password":"correct horse"}', status: 'success' }] }));
    if (out.kind !== 'interaction') throw new Error('kind changed');
    expect(JSON.parse(out.toolCalls[0]!.input as string)).toEqual({ user: 'bob', password: '[REDACTED:field_mask]' });
  });

  it('keeps required fields present when a rule drops them', () => {
    const r = createRedactor({ fieldRules: [{ path: 'question', action: 'drop' }, { path: 'sessionId', action: 'drop' }, { path: 'userId', action: 'drop' }, { path: 'metadata', action: 'drop' }] });
    const out = r.redact(interaction({ metadata: { a: 1 } }));
    expect(out).toMatchObject({ question: '', sessionId: '[REDACTED:field_drop]', userId: null, metadata: {} });
  });

  it('applies the first matching rule in policy order', () => {
    const r = createRedactor({ fieldRules: [{ path: 'metadata.*', action: 'mask', name: 'first' }, { path: 'metadata.a', action: 'drop' }] });
    expect(r.redact(event({ metadata: { a: 'x' } }))).toMatchObject({ metadata: { a: '[REDACTED:first]' } });
  });

  it('refuses rules on structural fields and rules that hash without a key', () => {
    try {
      createRedactor({ fieldRules: [{ path: 'timestamp', action: 'mask' }, { path: 'toolCalls.*.durationMs', action: 'drop' }, { path: 'userId', action: 'hash' }, { path: 'a..b', action: 'mask' }, { path: 'toolCalls', action: 'drop' }] });
      expect.unreachable();
    } catch (err) {
      expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
      const paths = (err as { issues: { path: string }[] }).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['fieldRules.0.path', 'fieldRules.1.path', 'fieldRules.3.path', 'fieldRules.4.path']));
    }
    expect(() => createRedactor({ fieldRules: [{ path: 'userId', action: 'hash' }] })).toThrow(/hash needs hashKey/);
  });
});

describe('allow-lists', () => {
  it('keeps allowed values and full matches of allowed patterns, and does not count them', () => {
    const r = createRedactor({ allow: { values: ['support@acme.com'], patterns: ['[a-z.]+@acme\\.com', /10\.0\.\d+\.\d+/] } });
    const text = 'support@acme.com, ops.team@acme.com, jane@other.com, 10.0.3.4, 10.1.3.4, x@acme.com.evil.io';
    expect(r.redactText(text)).toBe('support@acme.com, ops.team@acme.com, [REDACTED:email], 10.0.3.4, [REDACTED:ipv4], [REDACTED:email]');
    expect(r.stats().redactions).toEqual({ email: 2, ipv4: 1 });
  });

  it('applies to values under secret keys too', () => {
    const r = createRedactor({ allow: { values: ['public-demo-key'] } });
    expect(r.redact(event({ actionParams: { api_key: 'public-demo-key' } }))).toMatchObject({ actionParams: { api_key: 'public-demo-key' } });
  });
});

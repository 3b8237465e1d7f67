import { describe, expect, it } from 'vitest';
import { parseRecord } from '../core/record.js';
import { createRedactor } from './redactor.js';
import { deepFreeze, event, interaction } from './test-support/records.js';
import { realisticInteractions } from './test-support/realistic-interactions.js';

const SECRET = 'sk-proj-Xb3kR9mT2vL8qW4nZ7pJ5sH1dF6gK0aYcE2uI9oP';
const EMAIL = 'jane.doe@example.com';
const PHONE = '+86 138 1234 5678';

describe('record redaction', () => {
  it('redacts every free-text field of an interaction', () => {
    const r = createRedactor();
    const input = interaction({
      question: `mail ${EMAIL} about it`,
      userAgent: `agent (contact ${EMAIL})`,
      baseUrl: 'https://proxy:Hunter22@llm.example.com/v1',
      thoughts: [{ sequence: 0, content: `the key is ${SECRET}` }],
      toolCalls: [
        { sequence: 0, name: 'http', input: { url: 'https://api.example.com', headers: { 'x-note': `call ${PHONE}` } }, observation: `ok ${EMAIL}`, status: 'success' },
        { sequence: 1, name: 'shell', input: `export OPENAI_API_KEY=${SECRET}`, observation: { stdout: `phone ${PHONE}` }, status: 'error', errorMessage: `failed for ${EMAIL}` },
      ],
      finalAnswer: `Done; key ${SECRET} rotated.`,
      errorMessage: `warning: ${EMAIL}`,
      metadata: { customer: { email: EMAIL, notes: [`call ${PHONE}`] } },
    });
    const out = r.redact(input);
    const text = JSON.stringify(out);
    for (const v of [SECRET, EMAIL, '138 1234 5678', 'Hunter22']) expect(text).not.toContain(v);
    if (out.kind !== 'interaction') throw new Error('kind changed');
    expect(out.question).toBe('mail [REDACTED:email] about it');
    expect(out.baseUrl).toBe('https://proxy:[REDACTED:url_password]@llm.example.com/v1');
    expect(out.thoughts[0]!.content).toBe('the key is [REDACTED:openai_key]');
    expect(out.toolCalls[1]!.input).toBe('export OPENAI_API_KEY=[REDACTED:openai_key]');
    expect(out.metadata).toEqual({ customer: { email: '[REDACTED:email]', notes: ['call [REDACTED:phone]'] } });
  });

  it('redacts params, metadata, reason and error message of an event', () => {
    const r = createRedactor();
    const out = r.redact(
      event({
        actionParams: { query: `select * from users where email = '${EMAIL}'`, dsn: 'postgres://app:S3cretPw@db/app' },
        reason: `approved by ${EMAIL}`,
        errorMessage: `timeout talking to ${PHONE}`,
        metadata: { ip: '198.51.100.23' },
      }),
    );
    expect(out).toMatchObject({
      actionParams: { query: "select * from users where email = '[REDACTED:email]'", dsn: 'postgres://app:[REDACTED:url_password]@db/app' },
      reason: 'approved by [REDACTED:email]',
      errorMessage: 'timeout talking to [REDACTED:phone]',
      metadata: { ip: '[REDACTED:ipv4]' },
    });
  });

  it('leaves ids, timestamps, enums and numbers alone', () => {
    const r = createRedactor();
    const input = interaction({ userId: EMAIL, sessionId: '13812345678', clientIp: '198.51.100.23', totalDurationMs: 13812345678 });
    const out = r.redact(input);
    expect(out).toBe(input);
  });

  it('returns the very same object when there is nothing to redact', () => {
    const input = interaction({ toolCalls: [{ sequence: 0, name: 'kubectl', input: { args: ['get', 'pods'] }, observation: 'all running', status: 'success' }] });
    expect(createRedactor().redact(input)).toBe(input);
  });

  it('never mutates the input record', () => {
    const input = deepFreeze(
      interaction({
        question: EMAIL,
        toolCalls: [{ sequence: 0, name: 'x', input: { password: 'hunter2', nested: [`${PHONE}`] }, observation: JSON.stringify({ token: SECRET }), status: 'success' }],
        metadata: { a: { b: [EMAIL] } },
      }),
    );
    const before = structuredClone(input);
    const out = createRedactor().redact(input);
    expect(input).toEqual(before);
    expect(out).not.toEqual(before);
  });

  it('keeps records valid for core parseRecord', () => {
    const r = createRedactor({ fieldRules: [{ path: 'userId', action: 'hash' }, { path: 'sessionId', action: 'drop' }, { path: 'question', action: 'mask' }], hashKey: 'k'.repeat(32) });
    for (const rec of [...realisticInteractions(50), event({ actionParams: { p: SECRET } }), interaction({ userAgent: `${EMAIL} `.repeat(300) })]) {
      const parsed = parseRecord(r.redact(rec));
      expect(parsed.ok, parsed.ok ? '' : parsed.error.message).toBe(true);
    }
  });

  it('scans unexpected shapes of an unvalidated record instead of passing them through', () => {
    const odd = { ...interaction(), question: { text: EMAIL }, thoughts: [`loose ${EMAIL}`] } as unknown as Parameters<ReturnType<typeof createRedactor>['redact']>[0];
    expect(JSON.stringify(createRedactor().redact(odd))).not.toContain(EMAIL);
  });

  it('is idempotent: redacting twice equals redacting once', () => {
    const r = createRedactor();
    for (const rec of realisticInteractions(30)) {
      const once = r.redact(rec);
      expect(r.redact(once)).toEqual(once);
    }
  });
});

describe('JSON inside strings', () => {
  it('parses, redacts inside and re-serializes a JSON tool input', () => {
    const input = JSON.stringify({ cmd: 'login', user: EMAIL, opts: { retries: 3 } });
    const out = createRedactor().redact(interaction({ toolCalls: [{ sequence: 0, name: 'api', input, status: 'success' }] }));
    if (out.kind !== 'interaction') throw new Error('kind changed');
    expect(JSON.parse(out.toolCalls[0]!.input as string)).toEqual({ cmd: 'login', user: '[REDACTED:email]', opts: { retries: 3 } });
  });

  it('keeps a JSON string byte for byte when nothing inside matches', () => {
    const input = '{ "cmd" :  "kubectl get pods",\n  "n": 1 }';
    const rec = interaction({ toolCalls: [{ sequence: 0, name: 'api', input, status: 'success' }] });
    expect(createRedactor().redact(rec)).toBe(rec);
  });

  it('keeps a pretty-printed JSON string pretty', () => {
    const input = JSON.stringify({ a: EMAIL, b: [1, 2] }, null, 2);
    expect(createRedactor().redact(interaction({ finalAnswer: input }))).toMatchObject({ finalAnswer: JSON.stringify({ a: '[REDACTED:email]', b: [1, 2] }, null, 2) });
  });

  it('redacts the values of keys that name a secret, in objects and in JSON strings', () => {
    const out = createRedactor().redact(
      event({
        actionParams: {
          password: 'hunter2',
          headers: { Authorization: 'Bearer abc123def456ghi', 'x-api-key': 'k-1234' },
          body: JSON.stringify({ client_secret: 'cs-998877', pin: 1234, note: 'plain' }),
          pinCode: 123456,
          db: { password: 123456 },
          max_tokens: 1024,
          tokenizer: 'cl100k',
          passwordPolicy: { minLength: 12 },
          apiKey: '',
        },
      }),
    );
    if (out.kind !== 'event') throw new Error('kind changed');
    expect(out.actionParams).toEqual({
      password: '[REDACTED:secret_assignment]',
      headers: { Authorization: '[REDACTED:bearer_token]', 'x-api-key': '[REDACTED:secret_assignment]' },
      body: JSON.stringify({ client_secret: '[REDACTED:secret_assignment]', pin: 1234, note: 'plain' }),
      pinCode: 123456,
      db: { password: '[REDACTED:secret_assignment]' },
      max_tokens: 1024,
      tokenizer: 'cl100k',
      passwordPolicy: { minLength: 12 },
      apiKey: '',
    });
  });

  it('redacts phone, card and id numbers sent as JSON numbers', () => {
    const out = createRedactor().redact(event({ actionParams: { phone: 13812345678, card: 4111111111111111, count: 13812, ts: 1700000000000 } }));
    expect(out).toMatchObject({ actionParams: { phone: '[REDACTED:phone]', card: '[REDACTED:payment_card]', count: 13812, ts: 1700000000000 } });
  });
});

describe('counters', () => {
  it('reports per-record counts and keeps cumulative counts per detector, never the values', () => {
    const r = createRedactor();
    const rep = r.redactWithReport(interaction({ question: `${EMAIL} and ${EMAIL.replace('jane', 'joe')}`, finalAnswer: `key ${SECRET}` }));
    expect(rep.counts).toEqual({ email: 2, openai_key: 1 });
    expect(rep.failures).toEqual([]);
    r.redact(interaction({ question: `call ${PHONE}` }));
    r.redact(interaction());
    const stats = r.stats();
    expect(stats).toEqual({ records: 3, recordsFailed: 0, redactions: { email: 2, openai_key: 1, phone: 1 }, failures: { detector_threw: 0, time_budget_exceeded: 0, unexpected_error: 0 } });
    expect(JSON.stringify(stats)).not.toContain('jane');
  });

  it('returns a snapshot: later redactions do not change an earlier stats() result', () => {
    const r = createRedactor();
    const before = r.stats();
    r.redact(interaction({ question: EMAIL }));
    expect(before.redactions).toEqual({});
    expect(r.stats().redactions).toEqual({ email: 1 });
  });

  it('counts redactText and exposes where detectors match with inspect()', () => {
    const r = createRedactor();
    expect(r.redactText(`a ${EMAIL} b`)).toBe('a [REDACTED:email] b');
    expect(r.inspect(`a ${EMAIL} b`)).toEqual([{ start: 2, end: 2 + EMAIL.length, detector: 'email' }]);
    expect(r.stats().redactions).toEqual({ email: 1 });
  });
});

describe('policy options on detectors', () => {
  it('turns a detector off', () => {
    const r = createRedactor({ detectors: { ipv4: false } });
    expect(r.redactText('from 198.51.100.23')).toBe('from 198.51.100.23');
  });

  it('keeps private addresses when keepPrivateIps is set', () => {
    const r = createRedactor({ keepPrivateIps: true });
    expect(r.redactText('pod 10.244.1.7 node 198.51.100.23 ula fd12:3456:789a:1::1')).toBe('pod 10.244.1.7 node [REDACTED:ipv4] ula fd12:3456:789a:1::1');
  });

  it('uses the replacement template', () => {
    const r = createRedactor({ replacement: '<{detector}>' });
    expect(r.redactText(`x ${EMAIL}`)).toBe('x <email>');
  });

  it('runs custom rules, and replaces only the named group redact when there is one', () => {
    const r = createRedactor({
      customRules: [
        { name: 'employee_id', pattern: 'EMP-\\d{6}' },
        { name: 'ticket_secret', pattern: /ticket=(?<redact>[a-z0-9]{8})/, mustContain: ['ticket='] },
      ],
    });
    expect(r.redactText('EMP-123456 opened ticket=ab12cd34 today')).toBe('[REDACTED:employee_id] opened ticket=[REDACTED:ticket_secret] today');
  });
});

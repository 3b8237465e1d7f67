import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAuditrailError } from '../../core/errors.js';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { parseQuery } from '../../core/query.js';
import type { Redactor } from '../../core/redactor.js';
import type { Detector } from '../../redaction/index.js';
import { defaultRedactionPolicies } from '../config/redaction-policies.js';
import { logsRequest } from '../otlp/test-support/otlp-json.js';
import { sampleEvent, sampleInteraction } from '../test-support/sample-records.js';
import { bearer, startTestServer, type TestServer } from '../test-support/test-server.js';
import { createOrgRedactors, singleRedactor } from './org-redactors.js';

const OPENAI_KEY = 'sk-proj-Qm7xK2vR9tLpZ4wN8sJ3hF6dY1cB5aE0gUq';
const EMAIL = 'jane.doe@example.com';

let t: TestServer | undefined;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-redaction-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function policyFile(text: string): Promise<string> {
  const path = join(dir, `policies-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  return path;
}

async function post(server: TestServer, records: unknown[], token = server.keyA) {
  const res = await server.server.app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json', ...bearer(token) }, payload: JSON.stringify(records) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ accepted: number; rejected: number }>();
}

async function storedEvent(server: TestServer, orgId: string, eventId: string): Promise<AuditEvent> {
  const page = await server.storage.queryEvents(parseQuery({ orgId, limit: 1000 }));
  const e = page.items.find((x) => x.eventId === eventId);
  if (!e) throw new Error(`event ${eventId} not stored`);
  return e;
}

async function storedInteraction(server: TestServer, orgId: string, interactionId: string): Promise<Interaction> {
  const page = await server.storage.queryInteractions(parseQuery({ orgId, limit: 1000 }));
  const i = page.items.find((x) => x.interactionId === interactionId);
  if (!i) throw new Error(`interaction ${interactionId} not stored`);
  return i;
}

async function metrics(server: TestServer): Promise<string> {
  return (await server.server.app.inject('/metrics')).body;
}

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(lines: Record<string, unknown>[]) {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'warn' }, stream);
}

describe('server-side redaction', () => {
  it('stores a secret and an email sent to POST /v1/events redacted, with the built-in policy by default', async () => {
    t = await startTestServer();
    const event = sampleEvent({ actionParams: { command: `curl -H "Authorization: Bearer ${OPENAI_KEY}" api`, notify: EMAIL }, reason: `asked by ${EMAIL}` });
    const turn = sampleInteraction({ question: `my key is ${OPENAI_KEY}, mail ${EMAIL}`, finalAnswer: 'done' });
    expect(await post(t, [event, turn])).toMatchObject({ accepted: 2, rejected: 0 });

    const e = await storedEvent(t, 'org_a', event.eventId);
    const i = await storedInteraction(t, 'org_a', turn.interactionId);
    const text = JSON.stringify([e, i]);
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain(EMAIL);
    expect(i.question).toBe('my key is [REDACTED:openai_key], mail [REDACTED:email]');
    expect(e.actionParams.notify).toBe('[REDACTED:email]');
    expect(e.reason).toBe('asked by [REDACTED:email]');
    // ids, the org and what no detector looks at stay as sent
    expect(i).toMatchObject({ userId: 'alice', clientIp: '10.0.0.7', finalAnswer: 'done', orgId: 'org_a' });
  });

  it("applies an org's own policy from redaction.policy_file and the default policy to every other org", async () => {
    const file = await policyFile(
      [
        'default:',
        '  customRules:',
        "    - { name: ticket_secret, pattern: 'TKT-[0-9]{6}' }",
        'orgs:',
        '  org_a:',
        '    detectors: { email: false }',
        '    customRules:',
        "      - { name: employee_id, pattern: 'EMP-\\d{6}' }",
        '',
      ].join('\n'),
    );
    t = await startTestServer({ env: { AUDITRAIL_REDACTION_POLICY_FILE: file } });
    const text = `EMP-123456 wrote to ${EMAIL} about TKT-654321`;
    const a = sampleInteraction({ question: text });
    const b = sampleInteraction({ question: text, orgId: 'org_b' });
    await post(t, [a], t.keyA);
    await post(t, [b], t.keyB);

    // org_a: its own policy only (email off, employee_id on; the default's ticket_secret is not inherited)
    expect((await storedInteraction(t, 'org_a', a.interactionId)).question).toBe(`[REDACTED:employee_id] wrote to ${EMAIL} about TKT-654321`);
    // org_b: the file's default policy (every built-in detector, plus ticket_secret)
    expect((await storedInteraction(t, 'org_b', b.interactionId)).question).toBe('EMP-123456 wrote to [REDACTED:email] about [REDACTED:ticket_secret]');
  });

  it('counts redactions by org and detector in /metrics, never the values', async () => {
    t = await startTestServer();
    await post(t, [sampleInteraction({ question: `${OPENAI_KEY} ${EMAIL} and ${EMAIL}` }), sampleEvent({ actionParams: { to: 'ops@example.org' } })], t.keyA);
    await post(t, [sampleEvent({ orgId: 'org_b', reason: `for ${EMAIL}` })], t.keyB);
    const body = await metrics(t);
    expect(body).toContain('# TYPE auditrail_redactions_total counter');
    expect(body).toContain('auditrail_redactions_total{detector="email"} 4');
    expect(body).toContain('auditrail_redactions_total{detector="openai_key"} 1');
    expect(body).toContain('auditrail_redacted_records_total 3');
    // org ids are not exposed on the unauthenticated /metrics
    expect(body).not.toContain('org_a');
    expect(body).toContain('# TYPE auditrail_redaction_failures_total counter');
    expect(body).not.toContain(OPENAI_KEY);
    expect(body).not.toContain(EMAIL);
  });

  it('stores a field that could not be redacted as the failure marker, counts it and logs AUDITRAIL_ERR_REDACTION_FAILED', async () => {
    const exploding: Detector = {
      name: 'exploding',
      mayMatch: (text) => text.includes('BOOM'),
      find(text) {
        throw new Error(`cannot handle ${text}`);
      },
    };
    const lines: Record<string, unknown>[] = [];
    t = await startTestServer({ redactors: createOrgRedactors(defaultRedactionPolicies(), { extraDetectors: [exploding] }), logger: capturingLogger(lines) });
    const turn = sampleInteraction({ question: `BOOM ${OPENAI_KEY}`, finalAnswer: `answer to ${EMAIL}` });
    expect(await post(t, [turn])).toMatchObject({ accepted: 1, rejected: 0 });

    const i = await storedInteraction(t, 'org_a', turn.interactionId);
    expect(i.question).toBe('[REDACTION_FAILED]');
    expect(i.finalAnswer).toBe('answer to [REDACTED:email]');
    expect(i.metadata['auditrail.redaction']).toEqual({ code: 'AUDITRAIL_ERR_REDACTION_FAILED', failures: [{ path: 'question', reason: 'detector_threw', detector: 'exploding' }] });
    expect(await metrics(t)).toContain('auditrail_redaction_failures_total{reason="detector_threw"} 1');
    expect(await metrics(t)).toContain('auditrail_redaction_failed_records_total 1');
    const logged = lines.find((l) => l.code === 'AUDITRAIL_ERR_REDACTION_FAILED');
    expect(logged).toMatchObject({ orgId: 'org_a', recordId: turn.interactionId, failures: [{ path: 'question', reason: 'detector_threw', detector: 'exploding' }] });
    expect(JSON.stringify(lines)).not.toContain(OPENAI_KEY);
  });

  it('stores every free-text field as the marker, rather than reject the record, when another Redactor throws', async () => {
    const broken: Redactor = {
      redact() {
        throw new Error('cannot');
      },
    };
    t = await startTestServer({ redactors: singleRedactor(broken) });
    const event = sampleEvent({ actionParams: { token: OPENAI_KEY }, reason: EMAIL });
    expect(await post(t, [event])).toMatchObject({ accepted: 1, rejected: 0 });
    const e = await storedEvent(t, 'org_a', event.eventId);
    expect(e).toMatchObject({ actionParams: {}, reason: '[REDACTION_FAILED]', actionName: event.actionName, userId: 'alice' });
    expect(JSON.stringify(e)).not.toContain(OPENAI_KEY);
  });

  it('redacts OTLP records too (POST /v1/logs)', async () => {
    t = await startTestServer();
    const body = logsRequest([{ eventName: 'gen_ai.user.message', timeMs: Date.parse('2026-03-01T10:00:00Z'), body: { content: `reset the password of ${EMAIL}` }, attributes: { 'gen_ai.conversation.id': 'conv-1' } }]);
    const res = await t.server.app.inject({ method: 'POST', url: '/v1/logs', headers: { 'content-type': 'application/json', ...bearer(t.keyA) }, payload: JSON.stringify(body) });
    expect(res.statusCode, res.body).toBe(200);
    const stored = JSON.stringify([...(await t.storage.queryInteractions(parseQuery({ limit: 10 }))).items, ...(await t.storage.queryEvents(parseQuery({ limit: 10 }))).items]);
    expect(stored).toContain('[REDACTED:email]');
    expect(stored).not.toContain(EMAIL);
  });

  it('stores records as sent with redaction.enabled false', async () => {
    t = await startTestServer({ env: { AUDITRAIL_REDACTION_ENABLED: 'false' } });
    const turn = sampleInteraction({ question: `my key is ${OPENAI_KEY}, mail ${EMAIL}` });
    await post(t, [turn]);
    expect((await storedInteraction(t, 'org_a', turn.interactionId)).question).toBe(`my key is ${OPENAI_KEY}, mail ${EMAIL}`);
    expect(await metrics(t)).not.toMatch(/^auditrail_redactions_total\{/m);
  });

  it('refuses to start on a bad policy file, listing every problem with its line', async () => {
    const file = await policyFile(['default:', '  detectors: { emial: false }', 'orgs:', '  acme:', "    customRules: [{ name: slow, pattern: '(a+)+$' }]", '    fieldRules: [{ path: userId, action: hash }]', ''].join('\n'));
    const err = await startTestServer({ env: { AUDITRAIL_REDACTION_POLICY_FILE: file } }).then(
      () => new Error('expected the start to fail'),
      (e: unknown) => e,
    );
    if (!isAuditrailError(err, 'CONFIG_INVALID')) throw err;
    expect(err.message).toContain(`redaction.policy_file ${file}: 3 problem(s)`);
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(byPath['default.detectors.emial']).toMatch(/^line 2: unknown detector/);
    expect(byPath['orgs.acme.customRules.0.pattern']).toMatch(/^line 5: unsafe regex/);
    expect(byPath['orgs.acme.fieldRules.0.action']).toMatch(/^line 6: hash needs hashKey/);
  });

  it('keeps one redactor per org policy, built once', () => {
    const redactors = createOrgRedactors({ default: defaultRedactionPolicies().default, orgs: { acme: defaultRedactionPolicies().default } });
    expect(redactors.redactorFor('acme')).toBe(redactors.redactorFor('acme'));
    expect(redactors.redactorFor('x')).toBe(redactors.redactorFor('y'));
    expect(redactors.redactorFor('acme')).not.toBe(redactors.redactorFor('x'));
    expect(redactors.summary).toBe('on: policies given in code (own policy for acme; the default policy for every other org)');
  });
});

import { describe, expect, it } from 'vitest';
import { isAuditrailError } from '../core/errors.js';
import { parseRecord } from '../core/record.js';
import type { Detector } from './detectors/detector.js';
import { createRedactor, FAILURE_ANNOTATION_KEY } from './redactor.js';
import { interaction } from './test-support/records.js';

const EMAIL = 'jane.doe@example.com';

/** Throws, with the text it was given in its message: the message must never reach the output. */
const throwingDetector: Detector = {
  name: 'exploding',
  mayMatch: (text) => text.includes('BOOM'),
  find(text) {
    throw new Error(`cannot handle ${text}`);
  },
};

/** Spins for `ms` on strings containing SLOW, then reports nothing. */
function slowDetector(ms: number): Detector {
  return {
    name: 'slow',
    mayMatch: (text) => text.includes('SLOW'),
    find() {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // busy: a detector stuck in heavy work
      }
    },
  };
}

/** A detector built on a catastrophically backtracking regex, as a careless plugin would write it. */
const catastrophicDetector: Detector = {
  name: 'catastrophic',
  mayMatch: (text) => text.startsWith('aaaa'),
  find(text, sink) {
    const m = /^(a+)+$/.exec(text);
    if (m) sink.add(0, m[0].length);
  },
};

describe('fail closed', () => {
  it('replaces the field a detector throws on with the marker, and still redacts the others', () => {
    const r = createRedactor({}, { extraDetectors: [throwingDetector] });
    const secretText = `BOOM password=hunter2 ${EMAIL}`;
    const rep = r.redactWithReport(interaction({ question: `ask ${EMAIL}`, thoughts: [{ sequence: 0, content: secretText }], finalAnswer: `answer ${EMAIL}` }));
    const out = rep.record;
    if (out.kind !== 'interaction') throw new Error('kind changed');
    expect(out.thoughts[0]!.content).toBe('[REDACTION_FAILED]');
    expect(out.question).toBe('ask [REDACTED:email]');
    expect(out.finalAnswer).toBe('answer [REDACTED:email]');
    expect(rep.failures).toEqual([{ path: 'thoughts.0.content', reason: 'detector_threw', detector: 'exploding' }]);
    expect(out.metadata[FAILURE_ANNOTATION_KEY]).toEqual({ code: 'AUDITRAIL_ERR_REDACTION_FAILED', failures: [{ path: 'thoughts.0.content', reason: 'detector_threw', detector: 'exploding' }] });
    const all = JSON.stringify(rep);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('cannot handle');
    expect(r.stats()).toMatchObject({ records: 1, recordsFailed: 1, failures: { detector_threw: 1 } });
    expect(parseRecord(out).ok).toBe(true);
  });

  it('replaces every field not yet scanned when the time budget runs out', () => {
    const r = createRedactor({ timeBudgetMs: 5 }, { extraDetectors: [slowDetector(30)] });
    const rep = r.redactWithReport(
      interaction({
        question: `first ${EMAIL}`,
        thoughts: [{ sequence: 0, content: 'SLOW step' }, { sequence: 1, content: `later ${EMAIL}` }],
        toolCalls: [{ sequence: 0, name: 't', input: { q: 'plain words' }, observation: `obs ${EMAIL}`, status: 'success' }],
        finalAnswer: 'nothing sensitive at all',
      }),
    );
    const out = rep.record;
    if (out.kind !== 'interaction') throw new Error('kind changed');
    expect(out.question).toBe('first [REDACTED:email]');
    expect(out.thoughts.map((t) => t.content)).toEqual(['[REDACTION_FAILED]', '[REDACTION_FAILED]']);
    expect(out.toolCalls[0]!.input).toEqual({ q: '[REDACTION_FAILED]' });
    expect(out.toolCalls[0]!.observation).toBe('[REDACTION_FAILED]');
    expect(out.finalAnswer).toBe('[REDACTION_FAILED]');
    expect(rep.failures.map((f) => f.reason)).toEqual(Array(5).fill('time_budget_exceeded'));
    expect(rep.failures[0]).toEqual({ path: 'thoughts.0.content', reason: 'time_budget_exceeded', detector: 'slow' });
    expect(JSON.stringify(out)).not.toContain(EMAIL);
    expect(parseRecord(out).ok).toBe(true);
  });

  it('fails closed after a catastrophically backtracking detector returns', () => {
    // one pathological regex on one string cannot be interrupted; the budget catches it when it returns
    const r = createRedactor({ timeBudgetMs: 1 }, { extraDetectors: [catastrophicDetector] });
    const rep = r.redactWithReport(interaction({ question: `${'a'.repeat(22)}!`, finalAnswer: `mail ${EMAIL}` }));
    expect(rep.record).toMatchObject({ question: '[REDACTION_FAILED]', finalAnswer: '[REDACTION_FAILED]' });
    expect(rep.failures[0]).toMatchObject({ path: 'question', reason: 'time_budget_exceeded', detector: 'catastrophic' });
  });

  it('refuses a catastrophic custom regex at policy load, naming the rule', () => {
    try {
      createRedactor({ customRules: [{ name: 'ok_rule', pattern: 'ORD-\\d{8}' }, { name: 'bad_rule', pattern: '^(\\w+\\s?)*$' }] });
      expect.unreachable();
    } catch (err) {
      expect(isAuditrailError(err, 'OPTIONS_INVALID')).toBe(true);
      expect((err as { issues: { path: string; message: string }[] }).issues).toEqual([{ path: 'customRules.1.pattern', message: expect.stringContaining('nested quantifier') }]);
    }
  });

  it('adds its failures to those an earlier redactor recorded', () => {
    const r = createRedactor({}, { extraDetectors: [throwingDetector] });
    const earlier = { code: 'AUDITRAIL_ERR_REDACTION_FAILED', failures: [{ path: 'question', reason: 'time_budget_exceeded' }] };
    const out = r.redact(interaction({ finalAnswer: 'BOOM', metadata: { [FAILURE_ANNOTATION_KEY]: earlier } }));
    expect(out.metadata[FAILURE_ANNOTATION_KEY]).toEqual({
      code: 'AUDITRAIL_ERR_REDACTION_FAILED',
      failures: [{ path: 'question', reason: 'time_budget_exceeded' }, { path: 'finalAnswer', reason: 'detector_threw', detector: 'exploding' }],
    });
  });

  it('can leave the annotation out and still replace the field', () => {
    const r = createRedactor({ annotateFailures: false }, { extraDetectors: [throwingDetector] });
    const rep = r.redactWithReport(interaction({ finalAnswer: 'BOOM' }));
    expect(rep.record).toMatchObject({ finalAnswer: '[REDACTION_FAILED]', metadata: {} });
    expect(rep.failures).toHaveLength(1);
  });

  it('replaces all free text when the walk itself breaks', () => {
    let deep: Record<string, unknown> = { email: EMAIL };
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const rep = createRedactor().redactWithReport(interaction({ question: `q ${EMAIL}`, metadata: deep, toolCalls: [{ sequence: 0, name: 't', input: 'x', status: 'success' }] }));
    expect(rep.failures).toEqual([{ path: '(record)', reason: 'unexpected_error' }]);
    expect(rep.record).toMatchObject({ question: '[REDACTION_FAILED]', toolCalls: [{ input: '[REDACTION_FAILED]' }], model: 'gpt-4o' });
    expect(JSON.stringify(rep.record.metadata)).not.toContain(EMAIL);
  });

  it('uses the configured failure marker', () => {
    const r = createRedactor({ failureMarker: '<<withheld>>' }, { extraDetectors: [throwingDetector] });
    expect(r.redact(interaction({ finalAnswer: 'BOOM' }))).toMatchObject({ finalAnswer: '<<withheld>>' });
    expect(r.redactText('BOOM')).toBe('<<withheld>>');
  });
});

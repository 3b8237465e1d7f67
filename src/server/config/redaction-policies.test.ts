import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditrailError } from '../../core/errors.js';
import { createOrgRedactors, NO_REDACTION, orgRedactorsFromConfig } from '../ingest/org-redactors.js';
import { loadConfig } from './load-config.js';
import { loadRedactionPolicies, parseRedactionPolicies } from './redaction-policies.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-policies-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function failure(run: () => unknown): AuditrailError {
  try {
    run();
  } catch (err) {
    if (err instanceof AuditrailError) return err;
    throw err;
  }
  throw new Error('expected a CONFIG_INVALID error');
}

const issuesOf = (err: AuditrailError) => Object.fromEntries(err.issues.map((i) => [i.path, i.message]));

describe('redaction policy file', () => {
  it('reads a default policy and org policies, each with the built-in defaults for what it leaves out', () => {
    const p = parseRedactionPolicies(
      ['default:', '  keepPrivateIps: true', 'orgs:', '  acme:', '    detectors: { ipv4: false }', '    hashKey: "0123456789abcdef-acme"', '    fieldRules: [{ path: userId, action: hash }]', ''].join('\n'),
      'p.yaml',
    );
    expect(p.default).toMatchObject({ keepPrivateIps: true, customRules: [], timeBudgetMs: 100 });
    expect(p.orgs.acme).toMatchObject({ keepPrivateIps: false, detectors: { ipv4: false, email: true }, fieldRules: [{ path: 'userId', action: 'hash' }] });
    expect(Object.isFrozen(p.orgs)).toBe(true);
  });

  it('lets an org policy start from a shared one with a YAML merge key', () => {
    const p = parseRedactionPolicies(
      ['default: &base', '  customRules: [{ name: employee_id, pattern: "EMP-\\\\d{6}" }]', '  keepPrivateIps: true', 'orgs:', '  acme:', '    <<: *base', '    detectors: { email: false }', ''].join('\n'),
      'p.yaml',
    );
    expect(p.orgs.acme).toMatchObject({ keepPrivateIps: true, detectors: { email: false }, customRules: [{ name: 'employee_id' }] });
    const acme = createOrgRedactors(p).redactorFor('acme')!;
    expect(acme.redact({ kind: 'event', eventId: '0190a0e4-0000-7000-8000-000000000001', eventType: 'action_completed', timestamp: '2026-03-01T10:00:00.000Z', orgId: 'acme', userId: 'u', agentId: 'a', sessionId: 's', actionId: 'x', actionName: 'n', actionParams: { who: 'EMP-123456 a@example.com' }, metadata: {}, severity: 'info' } as never)).toMatchObject({
      actionParams: { who: '[REDACTED:employee_id] a@example.com' },
    });
  });

  it('lists every problem of every policy with its path in the file and its line', () => {
    const text = [
      'default:',
      '  replacment: "[X]"', // 2: typo
      'orgs:',
      '  acme:',
      '    customRules:',
      '      - name: Bad-Name', // 6
      "        pattern: '(x'", // 7
      '    allow: { patterns: ["(a*)*"] }', // 8
      '  "": {}', // 9
      'extra: 1', // 10
      '',
    ].join('\n');
    const err = failure(() => parseRedactionPolicies(text, 'policies.yaml'));
    expect(err.code).toBe('AUDITRAIL_ERR_CONFIG_INVALID');
    const byPath = issuesOf(err);
    expect(byPath['default.replacment']).toMatch(/^line 2: unknown key \(the policy keys are listed in docs\/redaction\.md\)/);
    expect(byPath['orgs.acme.customRules.0.name']).toMatch(/^line 6: must be snake_case/);
    expect(byPath['orgs.acme.customRules.0.pattern']).toMatch(/^line 7: does not compile/);
    expect(byPath['orgs.acme.allow.patterns.0']).toMatch(/^line 8: unsafe regex/);
    expect(byPath['orgs.""']).toMatch(/^line 9: not an org id \(1 to 256 characters\)/);
    expect(byPath.extra).toMatch(/^line 10: unknown key: the file holds `default:` and `orgs:` only/);
    expect(err.message).toMatch(/^Invalid configuration: redaction\.policy_file policies\.yaml: 6 problem\(s\)\n {2}- /);
  });

  it('refuses a missing file, an empty one and YAML syntax errors, naming the file', async () => {
    const missing = join(dir, 'nope.yaml');
    expect(issuesOf(failure(() => loadRedactionPolicies(missing)))['redaction.policy_file']).toContain(`cannot read ${missing}`);
    expect(failure(() => parseRedactionPolicies('', 'empty.yaml')).message).toContain('empty.yaml: 1 problem(s)');
    expect(failure(() => parseRedactionPolicies('- a\n- b\n', 'list.yaml')).issues[0]!.message).toMatch(/must be a mapping with `default:`/);
    expect(failure(() => parseRedactionPolicies('default:\n  keepPrivateIps: true\n   x: [oops\n', 's.yaml')).issues[0]!.message).toMatch(/^line \d+: /);
  });

  it('is read from redaction.policy_file (AUDITRAIL_REDACTION_POLICY_FILE), or not at all with redaction.enabled false', async () => {
    const file = join(dir, 'policies.yaml');
    await writeFile(file, 'orgs:\n  acme: { detectors: { email: false } }\n');
    const on = orgRedactorsFromConfig((await loadConfig({ env: { AUDITRAIL_REDACTION_POLICY_FILE: file } })).config);
    expect(on.summary).toBe(`on: policy file ${file} (own policy for acme; the default policy for every other org)`);
    expect(on.redactorFor('acme')).not.toBe(on.redactorFor('other'));
    expect(orgRedactorsFromConfig((await loadConfig()).config).summary).toBe('on: the built-in policy (every detector) for every org');
    const off = orgRedactorsFromConfig((await loadConfig({ env: { AUDITRAIL_REDACTION_ENABLED: 'false', AUDITRAIL_REDACTION_POLICY_FILE: join(dir, 'absent.yaml') } })).config);
    expect(off).toBe(NO_REDACTION);
    expect(off.redactorFor('acme')).toBeUndefined();
  });
});

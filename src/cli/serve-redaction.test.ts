import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../core/ids.js';
import { EXIT } from './exit-codes.js';
import { runCli, startCli, waitForOutput } from './test-support/run-cli.js';

const OPENAI_KEY = 'sk-proj-Qm7xK2vR9tLpZ4wN8sJ3hF6dY1cB5aE0gUq';

let dir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-serve-redaction-'));
});
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await rm(dir, { recursive: true, force: true });
});

describe('auditrail serve: redaction from the configuration', () => {
  it('refuses a bad policy file at start, before opening storage, listing every problem', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'default:\n  detectors: { emial: false }\norgs:\n  acme:\n    timeBudgetMs: -1\n');
    const r = await runCli(['serve', '--storage', 'memory', '--port', '0'], { AUDITRAIL_REDACTION_POLICY_FILE: file }, dir);
    expect(r.code).toBe(EXIT.CONFIG);
    expect(r.stderr).toContain('AUDITRAIL_ERR_CONFIG_INVALID');
    expect(r.stderr).toContain(`redaction.policy_file ${file}: 2 problem(s)`);
    expect(r.stderr).toMatch(/default\.detectors\.emial: line 2: unknown detector/);
    expect(r.stderr).toMatch(/orgs\.acme\.timeBudgetMs: line 5: /);
    expect(r.stderr).not.toContain('opening memory storage');
  }, 30_000);

  it("redacts what it receives with the org's policy from the file, and says so at start", async () => {
    const file = join(dir, 'policies.yaml');
    await writeFile(file, "orgs:\n  default:\n    customRules: [{ name: employee_id, pattern: 'EMP-\\d{6}' }]\n");
    const child = startCli(['serve', '--storage', 'memory', '--port', '0'], { AUDITRAIL_REDACTION_POLICY_FILE: file, AUDITRAIL_LOG_LEVEL: 'warn' }, dir);
    children.push(child);
    const [, url, summary, key] = await waitForOutput(child, /listening on (http:\/\/\S+)[\s\S]*redaction: ([^\n]*)[\s\S]*AUDITRAIL_API_KEY=(atr_\S+)/, 30_000);
    expect(summary).toBe(`on: policy file ${file} (own policy for default; the default policy for every other org)`);
    const headers = { authorization: `Bearer ${key!}`, 'content-type': 'application/json' };
    const interactionId = uuidv7();
    const record = { kind: 'interaction', interactionId, timestamp: new Date().toISOString(), sessionId: 's', userId: 'u', agentId: 'a', model: 'm', status: 'success', question: `EMP-123456 pasted ${OPENAI_KEY}` };
    const posted = await fetch(`${url!}/v1/events`, { method: 'POST', headers, body: JSON.stringify([record]) });
    expect(await posted.json()).toMatchObject({ accepted: 1 });
    const stored = (await (await fetch(`${url!}/v1/interactions/${interactionId}`, { headers })).json()) as { question: string };
    expect(stored.question).toBe('[REDACTED:employee_id] pasted [REDACTED:openai_key]');
  }, 40_000);
});

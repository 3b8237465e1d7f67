import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../core/ids.js';
import { runCli, startCli, waitForOutput } from './test-support/run-cli.js';

let dir: string;
let server: ChildProcess;
let url: string;
let adminKey: string;
let env: Record<string, string>;

function interaction(i: number, extra: Record<string, unknown> = {}) {
  return {
    kind: 'interaction',
    interactionId: uuidv7(),
    timestamp: new Date(Date.now() - 60_000 + i).toISOString(),
    sessionId: `s-${i % 3}`,
    userId: i % 2 ? 'alice' : 'bob',
    agentId: 'ops',
    question: `question number ${i}, "quoted", with a comma`,
    model: i % 2 ? 'gpt-4o' : 'claude',
    status: i % 5 === 0 ? 'error' : 'success',
    totalDurationMs: 100 + i,
    ...extra,
  };
}

async function ingest(records: unknown[], key = adminKey) {
  const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-cli-'));
  env = { AUDITRAIL_DATA_DIR: join(dir, 'data'), AUDITRAIL_LOG_LEVEL: 'warn' };
  server = startCli(['serve', '--port', '0'], { ...env, AUDITRAIL_AUTH_KEY_CACHE_TTL_MS: '300', AUDITRAIL_CHECKPOINT_EVERY_RECORDS: '10' }, dir);
  const [, address, key] = await waitForOutput(server, /listening on (http:\/\/\S+)[\s\S]*AUDITRAIL_API_KEY=(atr_\S+)/, 50_000);
  url = address!;
  adminKey = key!;
  env = { ...env, AUDITRAIL_URL: url, AUDITRAIL_API_KEY: adminKey };
  await ingest(Array.from({ length: 30 }, (_, i) => interaction(i)));
}, 60_000);

afterAll(async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  await rm(dir, { recursive: true, force: true });
});

describe('auditrail CLI against a running server', () => {
  it('serve prints its address and, on first start, an admin key that works', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(await me.json()).toMatchObject({ orgId: 'default', scopes: ['ingest', 'read', 'admin'] });
  });

  it('keys create/list/revoke work on the key store directly while the server runs', async () => {
    const created = await runCli(['keys', 'create', '--org', 'acme', '--scope', 'ingest,read', '--label', 'agent', '--json'], env, dir);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { keyId: string; token: string };
    const me = await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${key.token}` } });
    expect(await me.json()).toMatchObject({ orgId: 'acme', scopes: ['ingest', 'read'] });
    const list = await runCli(['keys', 'list'], env, dir);
    expect(list.stdout).toContain(key.keyId);
    expect(list.stdout).toContain('acme');
    expect(list.stdout).not.toContain(key.token);
    const revoked = await runCli(['keys', 'revoke', key.keyId], env, dir);
    expect(revoked.code).toBe(0);
    expect((await runCli(['keys', 'revoke', key.keyId], env, dir)).code).toBe(6);
    // the server sees the revocation once its key cache (auth.key_cache_ttl_ms, 300 ms here) expires
    await new Promise((r) => setTimeout(r, 400));
    expect((await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${key.token}` } })).status).toBe(401);
  });

  it('keys create --remote goes through the server with an admin key', async () => {
    const created = await runCli(['keys', 'create', '--org', 'default', '--scope', 'read', '--remote', '--json'], env, dir);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ orgId: 'default', scopes: ['read'] });
  });

  it('query prints a table, JSON, filters, one record, and pages', async () => {
    const table = await runCli(['query', '--model', 'gpt-4o', '--status', 'success', '--limit', '5'], env, dir);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+INTERACTION\s+USER/);
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).every((l) => l.includes('gpt-4o') && l.includes('success'))).toBe(true);
    expect(table.stderr).toMatch(/more: --cursor \S+/);
    const json = await runCli(['query', '--search', 'number 27', '--json'], env, dir);
    const page = JSON.parse(json.stdout) as { items: { interactionId: string; question: string }[] };
    expect(page.items.map((i) => i.question)).toEqual(['question number 27, "quoted", with a comma']);
    const one = await runCli(['query', '--id', page.items[0]!.interactionId], env, dir);
    expect(JSON.parse(one.stdout)).toMatchObject({ interactionId: page.items[0]!.interactionId, events: [] });
    const all = await runCli(['query', '--all', '--limit', '7', '--json', '--user', 'bob'], env, dir);
    expect(all.stdout.trim().split('\n')).toHaveLength(15);
    const sessions = await runCli(['query', 'sessions'], env, dir);
    expect(sessions.stdout).toMatch(/s-0\s/);
  });

  it('export writes JSONL and CSV files and resumes an interrupted export without duplicates', async () => {
    const out = join(dir, 'all.jsonl');
    const r = await runCli(['export', '-o', out], env, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Exported 30 interactions');
    const full = (await readFile(out, 'utf8')).trim().split('\n');
    expect(full).toHaveLength(31);
    expect(JSON.parse(full.at(-1)!)).toEqual({ kind: 'export_end', count: 30, nextCursor: null });

    // interrupted: 10 complete lines and half of the 11th
    const cut = full.slice(0, 10).join('\n').length + 1 + 40;
    await truncate(out, cut);
    const again = await runCli(['export', '-o', out], env, dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--resume');
    const resumed = await runCli(['export', '-o', out, '--resume'], env, dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    const ids = lines.slice(0, -1).map((l) => (JSON.parse(l) as { interactionId: string }).interactionId);
    expect(ids).toEqual(full.slice(0, 30).map((l) => (JSON.parse(l) as { interactionId: string }).interactionId));

    const csv = join(dir, 'errors.csv');
    const c = await runCli(['export', '-o', csv, '--status', 'error'], env, dir);
    expect(c.code, c.stderr).toBe(0);
    const rows = (await readFile(csv, 'utf8')).trim().split('\r\n');
    expect(rows[0]).toMatch(/^interactionId,timestamp,/);
    expect(rows).toHaveLength(7);
    const half = (await stat(csv)).size - 30;
    await truncate(csv, half);
    const resumedCsv = await runCli(['export', '-o', csv, '--status', 'error', '--resume'], env, dir);
    expect(resumedCsv.code, resumedCsv.stderr).toBe(0);
    expect((await readFile(csv, 'utf8')).trim().split('\r\n')).toEqual(rows);
  });

  it('tail prints records as they arrive', async () => {
    const child = startCli(['tail', '--interval', '200'], env, dir);
    try {
      await waitForOutput(child, /following interactions/, 40_000, 'stderr');
      const fresh = interaction(99, { timestamp: new Date().toISOString(), question: 'a brand new question' });
      await ingest([fresh]);
      const [line] = await waitForOutput(child, /.*a brand new question.*/);
      expect(line).toContain(fresh.interactionId);
    } finally {
      child.kill('SIGINT');
    }
  });

  it('verify proves the org chain of the embedded storage untouched, with a JSON report on request', async () => {
    const text = await runCli(['verify'], env);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^org default: OK — \d+ records \(seq 1\.\.\d+\)/);
    const json = await runCli(['verify', '--json'], env);
    const report = JSON.parse(json.stdout) as { ok: boolean; orgId: string; records: { checked: number }; findings: unknown[] };
    expect(report).toMatchObject({ ok: true, orgId: 'default', findings: [] });
    // the 30 interactions ingested, and the access-audit events of the reads so far
    expect(report.records.checked).toBeGreaterThanOrEqual(30);
  });

  it('prove prints an inclusion proof that prove --check accepts with the public key, and refuses a forged one', async () => {
    const ids = await (await fetch(`${url}/v1/interactions?limit=5&order=asc`, { headers: { authorization: `Bearer ${adminKey}` } })).json() as { items: { interactionId: string }[] };
    const id = ids.items[0]!.interactionId;
    const proved = await runCli(['prove', id], env);
    expect(proved.stderr).toBe('');
    expect(proved.code).toBe(0);
    const proof = JSON.parse(proved.stdout) as { recordId: string; entry: string };
    expect(proof.recordId).toBe(id);
    const file = join(dir, 'proof.json');
    await writeFile(file, proved.stdout);
    const { publicKeys } = (await (await fetch(`${url}/v1/checkpoints`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { publicKeys: { publicKey: string }[] };
    const checked = await runCli(['prove', '--check', file, '--public-key', publicKeys[0]!.publicKey], {});
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/^OK: record \S+ is seq \d+ of org default/);
    await writeFile(file, JSON.stringify({ ...proof, entry: proof.entry.replace('question number', 'question NUMBER') }));
    const forged = await runCli(['prove', '--check', file, '--public-key', publicKeys[0]!.publicKey], {});
    expect(forged.code).toBe(7);
    expect(forged.stderr).toContain('AUDITRAIL_ERR_VERIFY_FAILED');
  });

  it('fails with a stable code, a hint and a documented exit code', async () => {
    const badKey = await runCli(['query'], { ...env, AUDITRAIL_API_KEY: `atr_0123456789abcdef_${'A'.repeat(43)}` }, dir);
    expect(badKey.code).toBe(4);
    expect(badKey.stderr).toContain('AUDITRAIL_ERR_UNAUTHENTICATED');
    expect(badKey.stderr).toContain('how to solve:');
    const noKey = await runCli(['query'], { AUDITRAIL_URL: url }, dir);
    expect(noKey.code).toBe(4);
    const down = await runCli(['query'], { ...env, AUDITRAIL_URL: 'http://127.0.0.1:9' }, dir);
    expect(down.code).toBe(5);
    expect(down.stderr).toContain('AUDITRAIL_ERR_SERVER_UNREACHABLE');
    const usage = await runCli(['query', '--bogus'], env, dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown option '--bogus'");
    const badFilter = await runCli(['query', '--from', 'yesterday'], env, dir);
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toContain('AUDITRAIL_ERR_QUERY_INVALID');
    const config = join(dir, 'bad.yaml');
    await writeFile(config, 'server:\n  port: 99999\naudit:\n  async:\n    workers: 0\n');
    const badConfig = await runCli(['serve', '--config', config], {}, dir);
    expect(badConfig.code).toBe(3);
    expect(badConfig.stderr).toMatch(/server\.port: line 2: /);
    expect(badConfig.stderr).toMatch(/audit\.async\.workers: line 5: /);
    // each problem once
    expect(badConfig.stderr.match(/server\.port/g)).toHaveLength(1);
  });

  it('every command has --help with examples', async () => {
    for (const cmd of [[], ['serve'], ['keys', 'create'], ['query'], ['tail'], ['export'], ['migrate']]) {
      const r = await runCli([...cmd, '--help'], {}, dir);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: auditrail/);
    }
  });

  it('serve stops on SIGTERM with exit code 0 after writing what it acknowledged; a restart finds it', async () => {
    await ingest([interaction(500, { question: 'last words before stopping' })]);
    server.kill('SIGTERM');
    const code = await new Promise((r) => server.once('exit', r));
    expect(code).toBe(0);
    server = startCli(['serve', '--port', '0'], env, dir);
    url = (await waitForOutput(server, /listening on (http:\/\/\S+)/, 50_000))[1]!;
    const found = await runCli(['query', '--search', 'last words', '--json', '--url', url], env, dir);
    expect(found.stdout).toContain('last words before stopping');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditrailError } from '../../core/errors.js';
import { loadConfig } from './load-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditrail-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(text: string): Promise<string> {
  const path = join(dir, 'auditrail.yaml');
  await writeFile(path, text);
  return path;
}

async function failure(p: Promise<unknown>): Promise<AuditrailError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AuditrailError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to fail');
}

describe('configuration loading', () => {
  it('runs on defaults with no file and no environment: embedded storage on 127.0.0.1:7070', async () => {
    const { config } = await loadConfig();
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 7070 });
    expect(config.storage).toEqual({ type: 'file', data_dir: './.auditrail' });
    expect(config.audit.async).toEqual({ workers: 4, queue_size: 10_000, batch_size: 500, batch_interval_ms: 0 });
    expect(Object.isFrozen(config.audit.async)).toBe(true);
  });

  it('reads the seed-002 audit section verbatim', async () => {
    const seed = `audit:
  enabled: true
  database:
    driver: "postgres"
    host: "localhost"
    port: 5432
    user: "opsagent"
    password: "your_secure_password"
    dbname: "opsagent"
    sslmode: "disable"
    max_open_conns: 10
    max_idle_conns: 5
    conn_max_lifetime: 1h
  async:
    workers: 5
    queue_size: 1000
    batch_size: 10
    batch_interval_ms: 1000
  retention:
    days: 90
    auto_cleanup: true
    cleanup_time: "03:00"
`;
    const { config } = await loadConfig({ file: await file(seed) });
    expect(config.audit.database).toMatchObject({ user: 'opsagent', dbname: 'opsagent', conn_max_lifetime: 3_600_000 });
    expect(config.audit.async).toEqual({ workers: 5, queue_size: 1000, batch_size: 10, batch_interval_ms: 1000 });
    expect(config.storage.type).toBe('postgres');
  });

  it('lets AUDITRAIL_* variables and DATABASE_URL override the file', async () => {
    const path = await file('server:\n  port: 8080\naudit:\n  async:\n    queue_size: 50\n');
    const { config } = await loadConfig({
      file: path,
      env: { AUDITRAIL_PORT: '9090', AUDITRAIL_HOST: '0.0.0.0', AUDITRAIL_ASYNC_QUEUE_SIZE: '77', DATABASE_URL: 'postgres://u@h/db', AUDITRAIL_RATE_LIMIT_ENABLED: 'false' },
    });
    expect(config.server.port).toBe(9090);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.audit.async.queue_size).toBe(77);
    expect(config.audit.database.url).toBe('postgres://u@h/db');
    expect(config.rate_limit.enabled).toBe(false);
    expect(config.storage.type).toBe('postgres');
  });

  it('prefers AUDITRAIL_DATABASE_URL over DATABASE_URL', async () => {
    const { config } = await loadConfig({ env: { DATABASE_URL: 'postgres://a/x', AUDITRAIL_DATABASE_URL: 'postgres://b/y' } });
    expect(config.audit.database.url).toBe('postgres://b/y');
  });

  it('refuses a bad file listing every problem with its key and line', async () => {
    const path = await file(['server:', '  port: "seventy"', 'audit:', '  async:', '    queue_size: -3', '    bogus: 1', '  retention:', '    cleanup_time: "25:99"', 'storage:', '  type: mongo', ''].join('\n'));
    const err = await failure(loadConfig({ file: path }));
    expect(err.code).toBe('AUDITRAIL_ERR_CONFIG_INVALID');
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(Object.keys(byPath).sort()).toEqual(['audit.async.bogus', 'audit.async.queue_size', 'audit.retention.cleanup_time', 'server.port', 'storage.type']);
    expect(byPath['server.port']).toMatch(/^line 2: /);
    expect(byPath['audit.async.queue_size']).toMatch(/^line 5: /);
    expect(byPath['audit.async.bogus']).toMatch(/^line 6: unknown key/);
    expect(byPath['audit.retention.cleanup_time']).toMatch(/^line 8: .*HH:MM/);
    expect(byPath['storage.type']).toMatch(/^line 10: /);
    expect(err.message).toContain('5 problem(s)');
  });

  it('names the variable when an environment value is bad', async () => {
    const err = await failure(loadConfig({ env: { AUDITRAIL_PORT: 'abc', AUDITRAIL_ASYNC_WORKERS: '0' } }));
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(byPath['server.port']).toMatch(/^from AUDITRAIL_PORT: /);
    expect(byPath['audit.async.workers']).toMatch(/^from AUDITRAIL_ASYNC_WORKERS: /);
  });

  it('reports YAML syntax errors with their line', async () => {
    const err = await failure(loadConfig({ file: await file('server:\n  port: 7070\n   host: [oops\n') }));
    expect(err.issues.length).toBeGreaterThan(0);
    expect(err.issues[0]!.message).toMatch(/^line \d+: /);
  });

  it('refuses a missing file with its path', async () => {
    const err = await failure(loadConfig({ file: join(dir, 'nope.yaml') }));
    expect(err.message).toContain('nope.yaml');
  });

  it('warns about AUDITRAIL_* variables that name no key', async () => {
    const { warnings } = await loadConfig({ env: { AUDITRAIL_PROT: '1', AUDITRAIL_URL: 'http://x', AUDITRAIL_API_KEY: 'k' } });
    expect(warnings).toEqual([expect.stringContaining('AUDITRAIL_PROT')]);
  });
});

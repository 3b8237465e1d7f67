import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../storage/postgres/create-postgres-storage.js';
import { createTestDatabase, type TestDatabase } from '../storage/postgres/test-support/test-database.js';
import { FIXTURE_START_MS, makeEvent } from '../storage/contract/fixtures.js';
import { loadConfig } from '../server/config/load-config.js';
import { integrityOptions, integrityPaths } from '../server/integrity-files.js';
import { runCli } from './test-support/run-cli.js';

let db: TestDatabase;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase('auditrail_verify_cli');
  dir = await mkdtemp(join(tmpdir(), 'auditrail-verify-'));
  env = { DATABASE_URL: db.connectionString, AUDITRAIL_DATA_DIR: dir, AUDITRAIL_CHECKPOINT_EVERY_RECORDS: '10' };
  // written the way the server writes: the configuration's key and checkpoint log
  const { config } = await loadConfig({ env });
  const storage = await createPostgresStorage({ connectionString: db.connectionString, integrity: await integrityOptions(config), searchIndexIntervalMs: 0 });
  for (const org of ['acme', 'globex']) {
    await storage.append(Array.from({ length: 25 }, (_, k) => makeEvent({ orgId: org, timestamp: new Date(FIXTURE_START_MS + k).toISOString() })));
  }
  await storage.flushCheckpointLog();
  await storage.close();
}, 60_000);
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('auditrail verify --local', () => {
  it('verifies every org of the configured database', async () => {
    const r = await runCli(['verify', '--local'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('org acme: OK — 25 records (seq 1..25), 1/1 checkpoints verified, 0 records after the last checkpoint');
    expect(r.stdout).toContain('org globex: OK');
  });

  it('creates nothing where it runs: without the key file it asks for the public key, and uses it', async () => {
    const elsewhere = join(dir, 'elsewhere');
    const noKey = await runCli(['verify', '--local', '--org', 'acme'], { ...env, AUDITRAIL_DATA_DIR: elsewhere });
    expect(noKey.stderr).toContain('AUDITRAIL_ERR_SIGNING_KEY_INVALID');
    expect(noKey.stderr).toContain('--public-key');
    expect(existsSync(join(elsewhere, 'integrity', 'signing-key.pem'))).toBe(false);
    const { config } = await loadConfig({ env });
    const pem = await readFile(integrityPaths(config).signingKeyFile, 'utf8');
    const publicKey = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    const withKey = await runCli(['verify', '--local', '--org', 'acme', '--public-key', publicKey], { ...env, AUDITRAIL_DATA_DIR: elsewhere });
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(withKey.stdout).toContain('org acme: OK');
  });

  it('names a record changed with SQL and exits 7', async () => {
    const storage = await createPostgresStorage({ connectionString: db.connectionString, searchIndexIntervalMs: 0 });
    await storage.driver.query(`UPDATE events SET success = NOT coalesce(success, false) WHERE org_id = 'globex' AND seq = 12`);
    await storage.close();
    const r = await runCli(['verify', '--local', '--org', 'globex'], env);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('org globex: FAILED');
    expect(r.stdout).toMatch(/\[error\] record-altered: .*12/);
    expect(r.stderr).toContain('AUDITRAIL_ERR_VERIFY_FAILED');
  });
});

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlKeyStore, type SqlQueryable } from './sql-key-store.js';
import { keyStoreContract } from './test-support/key-store-contract.js';

const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const MIGRATION = new URL('../storage/sql/migrations/0200_encryption_keys.sql', import.meta.url);
const database = `auditrail_enc_${randomBytes(6).toString('hex')}`;
let pool: pg.Pool;
let db: SqlQueryable;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ ...SERVER, database: 'postgres' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE DATABASE ${database}`);
  pool = new pg.Pool({ ...SERVER, database, max: 4 });
  // the database is dropped WITH (FORCE) at the end: a pooled connection still closing is terminated
  pool.on('error', () => undefined);
  await pool.query(await readFile(MIGRATION, 'utf8'));
  db = { query: async <R extends object>(text: string, params?: readonly unknown[]) => (await pool.query(text, params as unknown[])).rows as R[] };
});

afterAll(async () => {
  await pool?.end();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

keyStoreContract('sql (PostgreSQL, migration 0200)', () => Promise.resolve(createSqlKeyStore(db)));

describe('sql key store', () => {
  it('refuses a row that is half destroyed (wrapped key without master key id)', async () => {
    await expect(pool.query("INSERT INTO encryption_keys (org_id, version, kek_id, wrapped_key) VALUES ('org_x', 1, NULL, 'w')")).rejects.toThrow(/check constraint/);
  });

  it('refuses version 0', async () => {
    await expect(createSqlKeyStore(db).insert({ orgId: 'org_x', version: 0, kekId: 'k', wrappedKey: 'w' })).rejects.toThrow(/check constraint/);
  });
});

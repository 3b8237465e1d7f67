import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tenantRoleName } from '../../sql/tenant-role.js';

/** The test server: 127.0.0.1:5432, trust auth, user postgres (CI starts it when it is down). */
export const TEST_SERVER = Object.freeze({ host: '127.0.0.1', port: 5432, user: 'postgres' });

export interface TestDatabase {
  readonly name: string;
  readonly connectionString: string;
  /** Terminates every connection to the database (the database "goes away" for its clients). */
  terminateConnections(): Promise<number>;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ ...TEST_SERVER, database: 'postgres' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A database of its own for one test file (auditrail_test_<random>), dropped afterwards. */
export async function createTestDatabase(prefix = 'auditrail_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const terminateConnections = () =>
    admin(async (c) => {
      const r = await c.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      return (r.rows[0] as { n: number }).n;
    });
  return {
    name,
    connectionString: `postgres://${TEST_SERVER.user}@${TEST_SERVER.host}:${TEST_SERVER.port}/${name}`,
    terminateConnections,
    drop: () =>
      admin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        // its reader role (migration 0400) belongs to the server, not the database
        await c.query(`DROP ROLE IF EXISTS ${tenantRoleName(name)}`);
      }),
  };
}

import { createHash } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sqlState } from '../sql/db-errors.js';
import type { QueryOptions, SqlDriver, SqlExecutor } from '../sql/sql-driver.js';

export interface PgDriverOptions {
  readonly connectionString?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly database?: string | undefined;
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  /** Reported when an idle pooled connection fails (the database restarted): the pool replaces it. */
  readonly onIdleError?: (err: Error) => void;
}

/** int8 as a JavaScript number: counts, durations and tokens stay far below 2^53. */
const types = new pg.TypeOverrides();
types.setTypeParser(20, (v: string) => Number(v));

function executor(client: pg.PoolClient | pg.Pool): SqlExecutor {
  return {
    async query<R extends object>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]> {
      const values = params as unknown[] | undefined;
      const r = options?.plan === 'generic' ? await client.query({ name: statementName(text), text, ...(values ? { values } : {}) }) : await client.query(text, values);
      return r.rows as R[];
    },
    async exec(script: string): Promise<void> {
      await client.query(script);
    },
    copyFrom(table: string, columns: readonly string[], rows: string): Promise<void> {
      if (client instanceof pg.Pool) return Promise.reject(new Error('COPY needs a transaction'));
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
      return new Promise<void>((resolve, reject) => {
        // 'error' may fire more than once (a write EPIPE, then the server's error): keep listening.
        stream.on('error', reject);
        stream.once('finish', () => resolve());
        stream.end(rows);
      });
    },
  };
}

const names = new Map<string, string>();

/** A prepared statement's name: the same text gets the same name on every connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `auditrail_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

/** A connection whose failure leaves it unusable is destroyed on release, not returned to the pool. */
function breaksConnection(err: unknown): boolean {
  const code = sqlState(err);
  return code === undefined || code.startsWith('08') || code.startsWith('57P');
}

/** node-postgres pool as a SqlDriver; COPY FROM STDIN through pg-copy-streams. */
export function createPgDriver(o: PgDriverOptions): SqlDriver {
  const pool = new pg.Pool({
    connectionString: o.connectionString,
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password,
    database: o.database,
    max: o.maxConnections,
    idleTimeoutMillis: o.idleTimeoutMs,
    connectionTimeoutMillis: o.connectionTimeoutMs,
    keepAlive: true,
    types,
    application_name: 'auditrail',
    // Named statements (QueryOptions.plan 'generic') are planned once; unnamed ones always per call.
    // A startup parameter, not a SET on 'connect': that query would overlap the pool's first one.
    options: '-c plan_cache_mode=force_generic_plan',
  });
  // An idle client that fails (server restart) must not crash the process: the pool drops it.
  pool.on('error', (err) => o.onIdleError?.(err));
  // A killed connection can report itself twice (the write error, then the server's FATAL
  // message), after pg-pool's once('error') listener of pool.query is gone. A permanent listener
  // keeps that from crashing the process; the failed statement rejects anyway, and pg-pool
  // discards a client that is no longer queryable when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const base = executor(pool);
  return {
    kind: 'postgres',
    query: (text, params, options) => base.query(text, params, options),
    exec: (script) => base.exec(script),
    copyFrom: (table, columns, rows) => base.copyFrom(table, columns, rows),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client reports a lost connection as an 'error' event: unhandled, it would
      // crash the process. The failing statement rejects as well; the client is discarded.
      const onError = (err: Error) => (broken ??= err);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (breaksConnection(err)) broken = err instanceof Error ? err : new Error(String(err));
        else await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

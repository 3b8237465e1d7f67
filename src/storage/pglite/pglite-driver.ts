import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlDriver, SqlExecutor } from '../sql/sql-driver.js';

function executor(db: PGlite | Transaction): SqlExecutor {
  return {
    async query<R extends object>(text: string, params?: readonly unknown[]): Promise<R[]> {
      const r = await db.query<R>(text, params as unknown[] | undefined);
      return r.rows;
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
    async copyFrom(table: string, columns: readonly string[], rows: string): Promise<void> {
      // PGlite reads COPY ... FROM '/dev/blob' from the blob passed with the query.
      await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([rows]) });
    },
  };
}

/** PGlite in this thread as a SqlDriver. PGlite serializes statements: a query waits for an open transaction. */
export function createPgliteDriver(db: PGlite, onClose: () => Promise<void> = () => db.close()): SqlDriver {
  const base = executor(db);
  return {
    kind: 'pglite',
    query: (text, params) => base.query(text, params),
    exec: (script) => base.exec(script),
    copyFrom: (table, columns, rows) => base.copyFrom(table, columns, rows),
    transaction: (fn) => db.transaction((tx) => fn(executor(tx))),
    close: onClose,
  };
}

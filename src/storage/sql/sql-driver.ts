/**
 * The seam between the shared SQL storage and a PostgreSQL connection: node-postgres against a
 * server, or PGlite (in process or in a worker thread). Everything auditrail sends is plain SQL
 * with $n parameters, plus COPY ... FROM of text-format rows for bulk writes.
 */
export type SqlRow = Record<string, unknown>;

export interface QueryOptions {
  /**
   * 'generic': a server-side prepared statement whose plan is made once per connection and reused
   * (run-time partition pruning). With daily partitions, planning a query over every partition
   * costs more than running it; the hot reads use this. 'custom' (default): planned with the
   * actual values, for queries whose best plan depends on them (search).
   */
  readonly plan?: 'generic' | 'custom';
}

export interface SqlExecutor {
  /** One statement with $1..$n parameters; resolves to its rows. */
  query<R extends object = SqlRow>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]>;
  /** Several statements without parameters (a migration script). */
  exec(script: string): Promise<void>;
  /** COPY `table` (`columns`) FROM text-format rows (see copy-format.ts); resolves to the row count. */
  copyFrom(table: string, columns: readonly string[], rows: string): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  /** 'postgres' (a server) or 'pglite' (embedded): for messages and the few dialect choices. */
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * An executor whose statements run one after the other: for a transaction (one connection), where
 * a caller's Promise.all would otherwise put several statements on the connection at once.
 */
export function serialized(ex: SqlExecutor): SqlExecutor {
  let tail: Promise<unknown> = Promise.resolve();
  const next = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    query: (text, params, options) => next(() => ex.query(text, params, options)),
    exec: (script) => next(() => ex.exec(script)),
    copyFrom: (table, columns, rows) => next(() => ex.copyFrom(table, columns, rows)),
  };
}

import { z } from 'zod';
import { parseOptions, positive, SqlCommonOptionsShape } from '../sql/sql-options.js';

const PostgresStorageOptionsSchema = z
  .object({
    /** postgres://user:password@host:port/database; or the discrete fields below. */
    connectionString: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    database: z.string().min(1).optional(),
    /** seed-002 database.max_open_conns. */
    maxConnections: positive(1_000).default(10),
    idleTimeoutMs: positive(86_400_000).default(30_000),
    connectionTimeoutMs: positive(600_000).default(5_000),
    ...SqlCommonOptionsShape,
  })
  .strict();

export type PostgresStorageOptions = z.input<typeof PostgresStorageOptionsSchema>;
export type ResolvedPostgresStorageOptions = Readonly<z.output<typeof PostgresStorageOptionsSchema>>;

export function parsePostgresStorageOptions(input: unknown): ResolvedPostgresStorageOptions {
  return parseOptions(PostgresStorageOptionsSchema, 'postgres storage', input);
}

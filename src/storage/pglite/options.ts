import { z } from 'zod';
import { parseOptions, SqlCommonOptionsShape } from '../sql/sql-options.js';

const PgliteStorageOptionsSchema = z
  .object({
    /** The storage's folder: the PostgreSQL cluster in <dataDir>/pgdata, a LOCK file, archives by default. */
    dataDir: z.string().min(1, 'must be a folder path'),
    /**
     * Run PGlite in a worker thread (default), so that its CPU-bound work never blocks the event
     * loop of the process (the server's latency). false runs it in this thread (scripts, tests).
     */
    worker: z.boolean().default(true),
    /**
     * true (default): a committed batch survives a power loss (WAL written O_DSYNC). false:
     * PGlite's own default, fsync off: it survives a crash of the process, not of the machine.
     */
    durable: z.boolean().default(true),
    ...SqlCommonOptionsShape,
  })
  .strict();

export type PgliteStorageOptions = z.input<typeof PgliteStorageOptionsSchema>;
export type ResolvedPgliteStorageOptions = Readonly<z.output<typeof PgliteStorageOptionsSchema>>;

export function parsePgliteStorageOptions(input: unknown): ResolvedPgliteStorageOptions {
  return parseOptions(PgliteStorageOptionsSchema, 'pglite storage', input);
}

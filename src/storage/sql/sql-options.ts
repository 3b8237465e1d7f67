import { z } from 'zod';
import { AuditrailError } from '../../core/errors.js';
import { toIssues } from '../../core/record.js';
import { IntegrityOptionsSchema } from './integrity-options.js';
import { RetentionOptionsSchema } from './retention-options.js';
import type { SqlStorageDiagnostic } from './sql-storage-diagnostics.js';

export const positive = (max: number) => z.number().int().min(1).max(max);

export const RetrySchema = z
  .object({
    initialDelayMs: positive(60_000).default(100),
    maxDelayMs: positive(600_000).default(5_000),
    /** A write still failing after this long rejects with STORAGE_UNAVAILABLE (retryable by the caller). */
    timeoutMs: z.number().int().min(0).max(86_400_000).default(60_000),
  })
  .strict();

/** Options shared by the PostgreSQL and PGlite storages. */
export const SqlCommonOptionsShape = {
  /** Apply pending migrations at start (default). `auditrail migrate` does it explicitly. */
  migrate: z.boolean().default(true),
  /**
   * Background upkeep: partitions ahead, the search indexer, the checkpoint timer, publishing
   * pending checkpoints, the retention schedule. false for a tool that opens the database beside a
   * running server (the CLI's verify --local, keys encryption): it reads and writes only what it is asked to.
   */
  upkeep: z.boolean().default(true),
  /** Daily partitions created ahead of today. */
  partitionsAheadDays: z.number().int().min(0).max(366).default(7),
  maintenanceIntervalMs: positive(86_400_000).default(3_600_000),
  /** How often pending interactions are moved into the search index; 0 = only on flushSearchIndex(). */
  searchIndexIntervalMs: z.number().int().min(0).max(3_600_000).default(1_000),
  searchIndexBatchSize: positive(100_000).default(2_000),
  writeRetry: RetrySchema.default(RetrySchema.parse({})),
  readRetry: RetrySchema.default(RetrySchema.parse({ timeoutMs: 10_000 })),
  retention: RetentionOptionsSchema.optional(),
  /** Signed checkpoints of the integrity chain and their external log; absent = chained, unsigned. */
  integrity: IntegrityOptionsSchema.optional(),
  onDiagnostic: z.custom<(d: SqlStorageDiagnostic) => void>((v) => typeof v === 'function', { message: 'must be a function (diagnostic) => void' }).optional(),
  /** The clock (tests). */
  now: z.custom<() => number>((v) => typeof v === 'function', { message: 'must be a function () => number' }).optional(),
} as const;

export function parseOptions<S extends z.ZodType>(schema: S, what: string, input: unknown): Readonly<z.output<S>> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return Object.freeze(r.data);
}


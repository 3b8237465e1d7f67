import { z } from 'zod';
import { AuditrailError, LIMITS, type Exporter, type Storage } from '../core/index.js';
import { toIssues } from '../core/record.js';
import { createRedactor, type RedactionPolicyInput } from '../redaction/index.js';
import type { Redactor } from '../core/index.js';
import type { DiagnosticHook } from './diagnostics.js';
import type { OverflowSink } from './overflow.js';
import type { QueuedRecord } from './queued-record.js';
import { resolveSpoolOptions, SpoolOptionsSchema } from './spool/spool-options.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const hasMethods = (v: unknown, names: readonly string[]): boolean =>
  isObject(v) && names.every((n) => typeof v[n] === 'function');

const Id = z.string().min(1).max(LIMITS.maxIdLength);
const Ms = (min: number, max: number) => z.number().int().min(min).max(max);

/** Defaults every record made through a logger gets unless the record sets them itself. */
export const LoggerContextSchema = z
  .object({ orgId: Id.optional(), userId: Id.optional(), agentId: Id.optional(), sessionId: Id.optional() })
  .strict();
export type LoggerContext = z.infer<typeof LoggerContextSchema>;

const RetrySchema = z
  .object({
    /** First wait after a retryable export result. */
    initialBackoffMs: Ms(1, 600_000).default(100),
    /** Longest wait between two attempts. */
    maxBackoffMs: Ms(1, 600_000).default(5_000),
    multiplier: z.number().min(1).max(10).default(2),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetrySchema>;

const AuditLoggerOptionsSchema = z
  .object({
    /** Where batches go. Give either `exporter` or `storage`. */
    exporter: z.custom<Exporter>((v) => hasMethods(v, ['export', 'shutdown']), { message: 'must be an Exporter: { name, export(records), shutdown() }' }).optional(),
    /** A storage to append batches to (embedded mode); also enables queryEvents()/countEvents(). */
    storage: z
      .custom<Storage>((v) => hasMethods(v, ['append', 'queryEvents', 'countEvents', 'queryInteractions', 'countInteractions']), {
        message: 'must be a Storage (append, queryEvents, countEvents, queryInteractions, countInteractions)',
      })
      .optional(),
    context: LoggerContextSchema.default({}),
    maxBatchSize: z.number().int().min(1).max(100_000).default(512),
    flushIntervalMs: Ms(1, 3_600_000).default(1_000),
    maxQueueSize: z.number().int().min(1).max(10_000_000).default(10_000),
    /** Deadline for one batch, all retries included. */
    exportTimeoutMs: Ms(1, 3_600_000).default(30_000),
    retry: RetrySchema.prefault({}),
    onDiagnostic: z.custom<DiagnosticHook>((v) => typeof v === 'function', { message: 'must be a function (diagnostic) => void' }).optional(),
    /** Flush on `beforeExit`, and best-effort on SIGTERM/SIGINT. */
    flushOnExit: z.boolean().default(true),
    /** The disk spool (src/sdk/spool): when the sink is down or the queue full, records go to disk and are replayed later. */
    spool: SpoolOptionsSchema.optional(),
    /**
     * Redaction before anything leaves the process or touches the spool, in the batch processor
     * (off the record path): a policy (default: every built-in detector), a Redactor, or false.
     */
    redaction: z
      .union([z.literal(false), z.custom<Redactor>((v) => hasMethods(v, ['redact'])), z.custom<RedactionPolicyInput>((v) => isObject(v), { message: 'must be a redaction policy (docs/redaction.md), a Redactor, or false' })])
      .default({}),
    /** Seam for another overflow sink (see overflow.ts); `spool` is auditrail's own. */
    overflow: z.custom<OverflowSink<QueuedRecord>>((v) => hasMethods(v, ['takeQueued', 'takeFailed']), { message: 'must be an OverflowSink: { takeQueued(item), takeFailed(records, error, retryable) }' }).optional(),
  })
  .strict()
  .refine((o) => (o.exporter === undefined) !== (o.storage === undefined), {
    message: 'give exactly one of `exporter` or `storage`',
    path: ['exporter'],
  })
  .refine((o) => o.spool === undefined || o.overflow === undefined, {
    message: 'give at most one of `spool` or `overflow`',
    path: ['overflow'],
  });

export type AuditLoggerOptions = z.input<typeof AuditLoggerOptionsSchema>;
export type ResolvedLoggerOptions = Readonly<Omit<z.output<typeof AuditLoggerOptionsSchema>, 'redaction'> & { redaction: Redactor | false }>;

/**
 * Validates logger options once: defaults applied, result frozen. A batch larger than the queue
 * is clamped to the queue size. Throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem.
 */
export function parseLoggerOptions(input: unknown): ResolvedLoggerOptions {
  const r = AuditLoggerOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  }
  const o = r.data;
  return Object.freeze({
    ...o,
    maxBatchSize: Math.min(o.maxBatchSize, o.maxQueueSize),
    context: Object.freeze({ ...o.context }),
    spool: o.spool === undefined ? undefined : resolveSpoolOptions(o.spool),
    redaction: resolveRedaction(o.redaction),
    retry: Object.freeze({ ...o.retry, maxBackoffMs: Math.max(o.retry.maxBackoffMs, o.retry.initialBackoffMs) }),
  });
}

function resolveRedaction(r: false | Redactor | RedactionPolicyInput): Redactor | false {
  if (r === false) return false;
  if (hasMethods(r, ['redact'])) return r as Redactor;
  try {
    return createRedactor(r as RedactionPolicyInput);
  } catch (err) {
    if (err instanceof AuditrailError) throw new AuditrailError('OPTIONS_INVALID', `redaction: ${err.message}`, { issues: err.issues.map((i) => ({ path: `redaction.${i.path}`, message: i.message })) });
    throw err;
  }
}

/** Validates a context given to withContext(); throws OPTIONS_INVALID. */
export function parseLoggerContext(input: unknown): LoggerContext {
  const r = LoggerContextSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issues = toIssues(r.error);
  throw new AuditrailError('OPTIONS_INVALID', issues.map((i) => `context.${i.path}: ${i.message}`).join('; '), { issues });
}

import { z } from 'zod';
import { AuditrailError } from '../../core/errors.js';
import { toIssues } from '../../core/record.js';
import type { FileStorageDiagnostic } from './diagnostics.js';

const MIB = 1024 * 1024;

const FileStorageOptionsSchema = z
  .object({
    /** Folder of the segments; created (with parents) when missing. */
    directory: z.string().min(1, 'must be a folder path'),
    /**
     * A segment is closed and a new one started when the next batch would take it past this size.
     * A batch is never split, so one batch larger than this makes one larger segment.
     */
    maxFileBytes: z.number().int().min(1024).max(2 ** 40).default(64 * MIB),
    /**
     * Retention by count: when a rotation leaves more segments than this, the oldest are deleted
     * (reported through onDiagnostic). 0 = unlimited: nothing is ever deleted.
     */
    maxFiles: z.number().int().min(0).max(1_000_000).default(0),
    /**
     * `always`: append resolves only after fdatasync (no acknowledged batch is lost on power
     * failure). `interval`: fdatasync every fsyncIntervalMs (a crash of the machine may lose
     * the batches of the last interval; a crash of the process alone loses nothing). `never`:
     * the OS writes back when it likes (typically within 30 s on Linux).
     */
    fsync: z.enum(['always', 'interval', 'never']).default('always'),
    fsyncIntervalMs: z.number().int().min(1).max(3_600_000).default(1_000),
    /** Recoveries, retention and background fsync failures are reported here; never throws into it. */
    onDiagnostic: z.custom<(d: FileStorageDiagnostic) => void>((v) => typeof v === 'function', { message: 'must be a function (diagnostic) => void' }).optional(),
  })
  .strict();

export type FileStorageOptions = z.input<typeof FileStorageOptionsSchema>;
export type ResolvedFileStorageOptions = Readonly<z.output<typeof FileStorageOptionsSchema>>;

/** Validates once, applies defaults, freezes. Throws AUDITRAIL_ERR_OPTIONS_INVALID listing every problem. */
export function parseFileStorageOptions(input: unknown): ResolvedFileStorageOptions {
  const r = FileStorageOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const issues = toIssues(r.error);
    throw new AuditrailError('OPTIONS_INVALID', `file storage: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return Object.freeze(r.data);
}

import { z } from 'zod';

/**
 * seed-002 `retention`: `days` (0 = keep forever), `auto_cleanup`, `cleanup_time` ("HH:MM", local
 * time of the server), plus where archives go. A day's partitions are removed once the whole
 * day is older than `days` days.
 */
export const RetentionOptionsSchema = z
  .object({
    days: z.number().int().min(0).max(36_500),
    autoCleanup: z.boolean().default(true),
    cleanupTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour), e.g. "03:00"')
      .default('03:00'),
    /** Folder of the gzip JSONL archives and their .sha256 files; created when missing. */
    archiveDir: z.string().min(1, 'must be a folder path'),
    /** The org whose trail records each retention run (an action_completed/failed event 'auditrail.retention'). */
    systemOrgId: z.string().min(1).max(256).default('auditrail-system'),
  })
  .strict();

export type RetentionOptions = z.input<typeof RetentionOptionsSchema>;
export type ResolvedRetentionOptions = z.output<typeof RetentionOptionsSchema>;

import { z } from 'zod';

const KiB = 1024;
const MiB = 1024 * KiB;
const Ms = (min: number, max: number) => z.number().int().min(min).max(max);

/** `spool` of createAuditLogger(): where and how much to keep on disk when the sink cannot take it. */
export const SpoolOptionsSchema = z
  .object({
    /** The spool's folder (created if missing); one process per folder. */
    directory: z.string().min(1),
    /** Bound on the spool's files together; past it, records are dropped (dropReasons.spoolFull). */
    maxBytes: z.number().int().min(64 * KiB).max(2 ** 50).default(256 * MiB),
    /** Size of one segment file; clamped to a quarter of maxBytes so delivered space is freed in steps. */
    maxSegmentBytes: z.number().int().min(16 * KiB).max(2 ** 40).default(16 * MiB),
    /** fsync every append, new segment and replay position (durable across power loss, not only crashes). */
    fsync: z.boolean().default(true),
    /** Records waiting in memory to be written (the queue-full path never waits on the disk). */
    maxBufferedRecords: z.number().int().min(1).max(10_000_000).default(10_000),
    /** Backoff between replay attempts while the sink is down (full jitter). */
    replay: z
      .object({
        initialBackoffMs: Ms(1, 600_000).default(500),
        maxBackoffMs: Ms(1, 3_600_000).default(30_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type SpoolOptions = z.input<typeof SpoolOptionsSchema>;
export type ResolvedSpoolOptions = Readonly<z.output<typeof SpoolOptionsSchema>>;

/** Applies the clamps the schema cannot express; the result is frozen. */
export function resolveSpoolOptions(o: z.output<typeof SpoolOptionsSchema>): ResolvedSpoolOptions {
  return Object.freeze({
    ...o,
    maxSegmentBytes: Math.max(16 * KiB, Math.min(o.maxSegmentBytes, Math.floor(o.maxBytes / 4))),
    replay: Object.freeze({ ...o.replay, maxBackoffMs: Math.max(o.replay.maxBackoffMs, o.replay.initialBackoffMs) }),
  });
}

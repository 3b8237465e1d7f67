import type { AuditRecord } from '../core/index.js';

/** Why records reach the overflow sink. */
export type OverflowReason = 'queue_full' | 'export_failed';

/**
 * The seam for a disk spool (DESIGN.md: "spills to an append-only spool file and replays it
 * later"). auditrail does not implement one yet; this interface is where it plugs in, so that
 * the batch processor needs no change when it lands.
 *
 * When an overflow sink is configured, the batch processor offers it what it would otherwise
 * drop. A sink returns `true` when it kept the records (they are then counted as `spooled`, not
 * `dropped`) and `false` when it could not (they are dropped and counted as before). A sink that
 * throws counts as `false`.
 */
export interface OverflowSink<Q> {
  /**
   * The queue is full. Called on the caller's record path with the queued (not yet validated)
   * item: it must be O(1) and must not block; copy or serialize later, off the caller's path.
   */
  takeQueued(item: Q): boolean;
  /** A batch the sink refused for good or that missed its export deadline (validated records). */
  takeFailed(records: readonly AuditRecord[], error: Error): boolean;
}

import type { AuditRecord } from '../core/index.js';

/** Why records reach the overflow sink. */
export type OverflowReason = 'queue_full' | 'export_failed' | 'backlog';

/**
 * What a sink answers when offered records: `true` when it kept them (counted as `spooled`),
 * `false` when it declines them (they are dropped for the original reason: queueFull,
 * exportFailed), `'full'` when it has no room (dropped as spoolFull) and `'failed'` when it
 * cannot work (an I/O error; dropped as spoolFailed). A sink that throws counts as `false`.
 */
export type OverflowAnswer = boolean | 'full' | 'failed';

/**
 * The seam for a disk spool (DESIGN.md: "spills to an append-only spool file and replays it
 * later"); `src/sdk/spool` implements it (`createAuditLogger({ spool })`). When an overflow sink
 * is configured, the batch processor offers it what it would otherwise drop, and, while the sink
 * holds a backlog, the batches it would otherwise export.
 */
export interface OverflowSink<Q> {
  /**
   * The queue is full. Called on the caller's record path with the queued (not yet validated)
   * item: it must be O(1) and must not block; copy or serialize later, off the caller's path.
   */
  takeQueued(item: Q): OverflowAnswer;
  /**
   * A batch (validated records) the sink refused for good (`retryable` false) or that kept
   * failing until its export deadline (`retryable` true). The processor awaits the answer.
   */
  takeFailed(records: readonly AuditRecord[], error: Error, retryable: boolean): OverflowAnswer | Promise<OverflowAnswer>;
  /**
   * True while records wait in the sink to be delivered. The processor then hands new batches to
   * takeBehind() instead of exporting them (so they stay behind the waiting ones, in order, and
   * the queue does not wait on a sink known to be down), and stops retrying a failing batch.
   */
  backlogged?(): boolean;
  /** A batch never tried, handed over because the sink is backlogged. */
  takeBehind?(records: readonly AuditRecord[]): OverflowAnswer | Promise<OverflowAnswer>;
  /**
   * The process is exiting (`exit` event: nothing asynchronous runs any more). Synchronously
   * keeps what it can of the batch in flight (validated records, oldest), then the queued items,
   * in that order, and returns how many of them (in that order) it kept; the rest is dropped.
   */
  takeAtExit?(records: readonly AuditRecord[], items: readonly Q[]): number;
  /** Resolves when everything taken so far is durable (flush()). */
  flush?(): Promise<void>;
  /** Makes what was taken durable and stops; called by shutdown() before the exporter's shutdown. */
  close?(): Promise<void>;
}

/**
 * The pipeline's counters. Every record made through a logger ends in exactly one of the
 * terminal counters, so at any moment:
 *
 *   recorded === queued + inFlight + exported + rejected + dropped + spooled
 */
export interface LoggerStats {
  /** Calls of a record method (record, recordInteraction, action*, approval*, interaction end). */
  readonly recorded: number;
  /** Waiting in the queue. */
  readonly queued: number;
  /** In the batch being prepared or exported. */
  readonly inFlight: number;
  /** Confirmed by the sink (duplicates of already-stored ids included: they are stored). */
  readonly exported: number;
  /** Invalid records (cheap check, full validation, or refused by the sink): never stored. */
  readonly rejected: number;
  /** Lost records, all reasons; `dropReasons` splits them. */
  readonly dropped: number;
  readonly dropReasons: DropReasons;
  /** Taken by the overflow sink (spool) instead of being dropped or exported directly. */
  readonly spooled: number;
  /**
   * Records the spool delivered to the sink (stored, duplicates included), from this process or
   * an earlier one: not part of the sum above, since a spool outlives the process that filled it.
   */
  readonly replayed: number;
  /** The spool's own figures, when `spool` is configured. */
  readonly spool?: SpoolStats;
  /** Batches the sink confirmed. */
  /** Values replaced by redaction, by detector or rule (counts only, never the values). */
  readonly redactions?: Readonly<Record<string, number>>;
  readonly batches: number;
  /** Export attempts that did not succeed (each retry that failed counts). */
  readonly exportFailures: number;
  /** Export attempts made again after a retryable result. */
  readonly retries: number;
}

export interface DropReasons {
  /** The queue held maxQueueSize records. */
  readonly queueFull: number;
  /** Recorded after shutdown() was called. */
  readonly shutDown: number;
  /** The sink failed for good, or kept failing until the export deadline. */
  readonly exportFailed: number;
  /** Still queued when the process exited without a flush. */
  readonly exit: number;
  /** An unexpected error on the record path (e.g. a getter that threw). */
  readonly internal: number;
  /** The spool was full (spool.maxBytes, or its write buffer spool.maxBufferedRecords). */
  readonly spoolFull: number;
  /** The spool could not write (an I/O error, a directory it could not open or lock). */
  readonly spoolFailed: number;
}

/** stats().spool: the disk spool now and since start. */
export interface SpoolStats {
  /** `opening` (reading what an earlier process left), `ready`, `failed` (unusable), `closed`. */
  readonly state: 'opening' | 'ready' | 'failed' | 'closed';
  /** Records on disk waiting to be replayed. */
  readonly pendingRecords: number;
  /** Records in memory waiting to be written to disk. */
  readonly bufferedRecords: number;
  /** Bytes of the spool's files (bounded by maxBytes). */
  readonly bytes: number;
  readonly maxBytes: number;
  /** Records the sink refused one by one on replay (never stored, reported). */
  readonly replayRejected: number;
  /** Records given up on replay because the sink refused their batch for good (reported). */
  readonly replayDropped: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
export type StatsCounters = Mutable<Omit<LoggerStats, 'queued' | 'inFlight' | 'spool'>>;

export function createCounters(): StatsCounters {
  return {
    recorded: 0,
    exported: 0,
    rejected: 0,
    dropped: 0,
    dropReasons: { queueFull: 0, shutDown: 0, exportFailed: 0, exit: 0, internal: 0, spoolFull: 0, spoolFailed: 0 },
    spooled: 0,
    replayed: 0,
    batches: 0,
    exportFailures: 0,
    retries: 0,
  };
}

export function countDrop(c: StatsCounters, reason: keyof DropReasons, n: number): void {
  c.dropped += n;
  c.dropReasons[reason] += n;
}

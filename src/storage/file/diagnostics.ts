/** What the file storage reports besides results and errors: nothing is lost or removed silently. */
export type FileStorageDiagnostic =
  /** At open, an incomplete tail (torn line, batch without its commit marker) was cut off. */
  | { readonly type: 'recovered'; readonly file: string; readonly discardedBytes: number; readonly discardedRecords: number }
  /** Retention (maxFiles) deleted the oldest segment. */
  | { readonly type: 'segment_removed'; readonly file: string; readonly records: number; readonly bytes: number }
  /** A background fdatasync (fsync: 'interval') or a rotation's sync failed; appends now reject until reopened. */
  | { readonly type: 'fsync_failed'; readonly file: string; readonly error: string };

export type FileStorageDiagnosticHook = (d: FileStorageDiagnostic) => void;

/** Calls the hook and swallows what it throws: a diagnostic must never break storage. */
export function report(hook: FileStorageDiagnosticHook | undefined, d: FileStorageDiagnostic): void {
  if (!hook) return;
  try {
    hook(d);
  } catch {
    // the hook's own failure is not ours to surface
  }
}

/** Counters since open. */
export interface FileStorageStats {
  readonly segments: number;
  readonly bytes: number;
  /** Records currently stored (ids in the idempotency index). */
  readonly records: number;
  readonly removedSegments: number;
  readonly removedRecords: number;
  /** Bytes and records cut off by recovery at open. */
  readonly discardedBytes: number;
  readonly discardedRecords: number;
}

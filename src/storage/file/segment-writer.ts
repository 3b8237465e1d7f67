import { open, rm, type FileHandle } from 'node:fs/promises';
import { AuditrailError, errorMessage } from '../../core/errors.js';
import { report } from './diagnostics.js';
import type { ResolvedFileStorageOptions } from './options.js';
import { emptySegment, type SegmentState } from './segment-state.js';

/**
 * Writes batches to the last segment: rotation by size, retention by count, the fsync policy.
 * Not reentrant: the storage calls it from one serialized queue. A batch is one positional write
 * at the committed size, so bytes of a failed write are overwritten or cut off, never kept.
 */
export class SegmentWriter {
  readonly #opts: ResolvedFileStorageOptions;
  readonly #segments: SegmentState[];
  readonly #onRemoved: (seg: SegmentState) => void;
  #fh: FileHandle;
  #dirty = false;
  /** Set when the state on disk is no longer known (a failed fsync or undo): appends reject. */
  #failed: AuditrailError | undefined;

  private constructor(opts: ResolvedFileStorageOptions, segments: SegmentState[], fh: FileHandle, onRemoved: (seg: SegmentState) => void) {
    this.#opts = opts;
    this.#segments = segments;
    this.#fh = fh;
    this.#onRemoved = onRemoved;
  }

  /** Opens the last segment for writing, or creates the first one. `segments` is shared and kept current. */
  static async open(opts: ResolvedFileStorageOptions, segments: SegmentState[], onRemoved: (seg: SegmentState) => void): Promise<SegmentWriter> {
    const last = segments[segments.length - 1];
    if (last) return new SegmentWriter(opts, segments, await open(last.path, 'r+'), onRemoved);
    const first = emptySegment(opts.directory, 1);
    const fh = await open(first.path, 'wx');
    segments.push(first);
    if (opts.fsync === 'always') await syncDirectory(opts.directory);
    return new SegmentWriter(opts, segments, fh, onRemoved);
  }

  /** Writes one batch (record lines and commit marker) and makes it durable per the policy. */
  async write(data: Buffer): Promise<SegmentState> {
    if (this.#failed) throw this.#failed;
    let seg = this.#last();
    if (seg.committedBytes > 0 && seg.committedBytes + data.length > this.#opts.maxFileBytes) seg = await this.#rotate();
    try {
      for (let done = 0; done < data.length; ) {
        const { bytesWritten } = await this.#fh.write(data, done, data.length - done, seg.committedBytes + done);
        done += bytesWritten;
      }
    } catch (err) {
      await this.#undo(seg, err);
    }
    if (this.#opts.fsync === 'always') await this.#sync(seg);
    else this.#dirty = true;
    seg.committedBytes += data.length;
    return seg;
  }

  /** fdatasync if anything was written since the last one (fsync: 'interval', and on close). */
  async syncIfDirty(): Promise<void> {
    if (!this.#dirty || this.#failed) return;
    this.#dirty = false;
    await this.#sync(this.#last());
  }

  async close(): Promise<void> {
    try {
      if (this.#opts.fsync !== 'never') await this.syncIfDirty();
    } finally {
      await this.#fh.close();
    }
  }

  #last(): SegmentState {
    return this.#segments[this.#segments.length - 1]!;
  }

  async #rotate(): Promise<SegmentState> {
    if (this.#opts.fsync !== 'never') await this.syncIfDirty();
    const next = emptySegment(this.#opts.directory, this.#last().seq + 1);
    const fh = await open(next.path, 'wx').catch((err: unknown) => {
      throw writeError(next.path, err);
    });
    await this.#fh.close();
    this.#fh = fh;
    this.#segments.push(next);
    if (this.#opts.fsync === 'always') await syncDirectory(this.#opts.directory);
    const { maxFiles } = this.#opts;
    while (maxFiles > 0 && this.#segments.length > maxFiles) {
      const gone = this.#segments.shift()!;
      await rm(gone.path, { force: true });
      this.#onRemoved(gone);
      report(this.#opts.onDiagnostic, { type: 'segment_removed', file: gone.path, records: gone.records, bytes: gone.committedBytes });
    }
    return next;
  }

  async #sync(seg: SegmentState): Promise<void> {
    try {
      await this.#fh.datasync();
    } catch (err) {
      // After a failed fsync the kernel may have dropped the dirty pages: what is on disk is
      // unknown, so stop writing (a reopen re-reads and recovers the segment).
      this.#failed = new AuditrailError('STORAGE_UNAVAILABLE', `fdatasync of ${seg.path} failed; reopen the storage`, { cause: err });
      report(this.#opts.onDiagnostic, { type: 'fsync_failed', file: seg.path, error: errorMessage(err) });
      throw this.#failed;
    }
  }

  /** Cuts a partly written batch off; if even that fails, the storage stops writing. */
  async #undo(seg: SegmentState, err: unknown): Promise<never> {
    try {
      await this.#fh.truncate(seg.committedBytes);
    } catch (undoErr) {
      this.#failed = new AuditrailError('STORAGE_UNAVAILABLE', `${seg.path} may end with a partial batch; reopen the storage to recover it`, { cause: undoErr });
    }
    throw writeError(seg.path, err);
  }
}

function writeError(path: string, err: unknown): AuditrailError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AuditrailError('STORAGE_FULL', `${path}: ${errorMessage(err)}`, { cause: err });
  return new AuditrailError('STORAGE_UNAVAILABLE', `${path}: ${errorMessage(err)}`, { cause: err });
}

/** Makes a created file's directory entry durable. */
async function syncDirectory(directory: string): Promise<void> {
  const fh = await open(directory, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

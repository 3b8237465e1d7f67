import { open, readdir, stat } from 'node:fs/promises';
import type { AuditrailError } from '../../core/errors.js';
import { report, type FileStorageDiagnosticHook } from './diagnostics.js';
import { scanLines } from './scan-lines.js';
import { corrupt, parseCommit, parseRecordLine, segmentSeq, storedId } from './segment-format.js';
import { emptySegment, widen, type SegmentState } from './segment-state.js';

export interface RecoveredStore {
  /** Segments oldest first; the last one is where appends go. */
  readonly segments: SegmentState[];
  /** Record id -> sequence number of the segment holding it. */
  readonly index: Map<string, number>;
  readonly nextBatch: number;
  readonly discardedBytes: number;
  readonly discardedRecords: number;
}

/**
 * Opens what is on disk: reads every segment, rebuilds the id index, and cuts off the incomplete
 * tail of the last segment (a torn line or a batch without its commit marker: a write the crash
 * interrupted, never acknowledged). Anything wrong before a commit marker is STORAGE_CORRUPT.
 */
export async function recoverSegments(directory: string, onDiagnostic: FileStorageDiagnosticHook | undefined): Promise<RecoveredStore> {
  const seqs = (await readdir(directory))
    .map((name) => segmentSeq(name))
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
  const index = new Map<string, number>();
  const segments: SegmentState[] = [];
  let nextBatch = 1;
  let discardedBytes = 0;
  let discardedRecords = 0;
  for (const [k, seq] of seqs.entries()) {
    const seg = emptySegment(directory, seq);
    const scanned = await scanSegment(seg, index);
    nextBatch = Math.max(nextBatch, scanned.lastBatch + 1);
    const size = (await stat(seg.path)).size;
    if (size > seg.committedBytes) {
      if (k !== seqs.length - 1) throw scanned.firstUncommitted ?? corrupt(seg.name, scanned.lines, 'uncommitted data in a segment that is not the last');
      await truncate(seg.path, seg.committedBytes);
      discardedBytes += size - seg.committedBytes;
      discardedRecords += scanned.pendingRecords;
      report(onDiagnostic, { type: 'recovered', file: seg.path, discardedBytes: size - seg.committedBytes, discardedRecords: scanned.pendingRecords });
    }
    segments.push(seg);
  }
  return { segments, index, nextBatch, discardedBytes, discardedRecords };
}

interface Scanned {
  lastBatch: number;
  lines: number;
  /** Complete, well-formed record lines after the last commit marker. */
  pendingRecords: number;
  /** Where the uncommitted tail starts, as the error to raise if it may not be cut off. */
  firstUncommitted: AuditrailError | undefined;
}

async function scanSegment(seg: SegmentState, index: Map<string, number>): Promise<Scanned> {
  const out: Scanned = { lastBatch: 0, lines: 0, pendingRecords: 0, firstUncommitted: undefined };
  let pending: { id: string; ms: number }[] = [];
  let firstBad: AuditrailError | undefined;
  await scanLines(seg.path, Number.MAX_SAFE_INTEGER, (line) => {
    out.lines = line.lineNo;
    const commit = line.complete ? parseCommit(line.text) : undefined;
    if (commit) {
      // A line that cannot be read, followed by a commit marker, is damage to committed data.
      if (firstBad) throw firstBad;
      if (commit.count !== pending.length) throw corrupt(seg.name, line.lineNo, `commit marker counts ${commit.count} records, the batch has ${pending.length}`);
      for (const p of pending) {
        if (!index.has(p.id)) index.set(p.id, seg.seq);
        widen(seg, p.ms);
      }
      seg.records += pending.length;
      seg.committedBytes = line.end;
      out.lastBatch = commit.batch;
      out.firstUncommitted = undefined;
      pending = [];
      return;
    }
    out.firstUncommitted ??= corrupt(seg.name, line.lineNo, 'record without a commit marker in a segment that is not the last');
    if (!line.complete || firstBad) return;
    try {
      const r = parseRecordLine(line.text, seg.name, line.lineNo);
      pending.push({ id: storedId(r), ms: Date.parse(r.timestamp) });
    } catch (err) {
      firstBad = err as AuditrailError;
    }
  });
  out.pendingRecords = pending.length;
  return out;
}

async function truncate(path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(bytes);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

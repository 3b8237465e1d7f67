import { join } from 'node:path';
import { segmentName } from './segment-format.js';

/** What the storage knows about one segment without reading it. */
export interface SegmentState {
  readonly seq: number;
  readonly name: string;
  readonly path: string;
  /** Bytes up to and including the last commit marker: readers never look past it. */
  committedBytes: number;
  records: number;
  /** Range of record timestamps (ms), so that time-bounded queries skip whole segments. */
  minMs: number;
  maxMs: number;
}

export function emptySegment(directory: string, seq: number): SegmentState {
  const name = segmentName(seq);
  return { seq, name, path: join(directory, name), committedBytes: 0, records: 0, minMs: Infinity, maxMs: -Infinity };
}

/** Extends the segment's time range to cover `ms` (an unreadable time disables skipping). */
export function widen(seg: SegmentState, ms: number): void {
  if (Number.isNaN(ms)) {
    seg.minMs = -Infinity;
    seg.maxMs = Infinity;
    return;
  }
  if (ms < seg.minMs) seg.minMs = ms;
  if (ms > seg.maxMs) seg.maxMs = ms;
}

/** False when no record of the segment can fall in [fromMs, toMs). */
export function mayOverlap(seg: SegmentState, fromMs: number, toMs: number): boolean {
  return seg.records > 0 && seg.maxMs >= fromMs && seg.minMs < toMs;
}

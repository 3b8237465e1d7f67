import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import { scanLines } from './scan-lines.js';
import { isCommitLine, lineKind, parseRecordLine } from './segment-format.js';
import { mayOverlap, type SegmentState } from './segment-state.js';

/** A segment as a reader sees it: fixed at the read's start (later appends are not looked at). */
export type SegmentSnapshot = Readonly<SegmentState>;

export interface ScanFilter {
  readonly orgId?: string | undefined;
  readonly fromMs?: number;
  readonly toMs?: number;
}

type RecordOf<K> = K extends 'event' ? AuditEvent : Interaction;

/**
 * Streams the committed records of one kind through `visit`, segment by segment, line by line.
 * Segments outside the time range are skipped; lines of the other kind or of another org are
 * skipped before parsing when their text shows it. A segment deleted by retention while the read
 * runs is skipped (its records are gone by configuration).
 */
export async function scanRecords<K extends 'event' | 'interaction'>(
  segments: readonly SegmentSnapshot[],
  kind: K,
  filter: ScanFilter,
  visit: (record: RecordOf<K>) => void,
): Promise<void> {
  const fromMs = filter.fromMs ?? -Infinity;
  const toMs = filter.toMs ?? Infinity;
  const orgNeedle = filter.orgId === undefined ? undefined : `"orgId":${JSON.stringify(filter.orgId)}`;
  for (const seg of segments) {
    if (!mayOverlap(seg, fromMs, toMs)) continue;
    try {
      await scanLines(seg.path, seg.committedBytes, (line) => {
        const text = line.text;
        const known = lineKind(text);
        if (known !== undefined ? known !== kind : isCommitLine(text)) return;
        // A necessary condition only (nested metadata may hold the same text): the match decides.
        if (orgNeedle !== undefined && !text.includes(orgNeedle)) return;
        const record = parseRecordLine(text, seg.name, line.lineNo);
        if (record.kind === kind) visit(record as RecordOf<K>);
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
  }
}

/** Finds one record by id in the segment the index names (stops at the first hit). */
export async function findInSegment(seg: SegmentSnapshot, id: string): Promise<Interaction | AuditEvent | undefined> {
  const needle = JSON.stringify(id);
  let found: Interaction | AuditEvent | undefined;
  try {
    await scanLines(seg.path, seg.committedBytes, (line) => {
      if (!line.text.includes(needle) || isCommitLine(line.text)) return;
      const record = parseRecordLine(line.text, seg.name, line.lineNo);
      if ((record.kind === 'event' ? record.eventId : record.interactionId) !== id) return;
      found = record;
      return false;
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return found;
}

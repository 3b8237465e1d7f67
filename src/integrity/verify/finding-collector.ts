import type { FindingDetails } from './findings.js';
import type { RowEvent, RowStatus } from './row-classifier.js';

interface Entry {
  readonly seq: number;
  readonly recordId: string;
  status: RowStatus;
  originalSeq: number | undefined;
  resolved: boolean;
}

/**
 * Turns row events into findings. Rows stay in a short ring before they are reported, so that a
 * later row can explain an earlier one: two moved rows pointing at each other are a swap; a row
 * whose original seq is the one before it marks that one as inserted (the rest renumbered up); a
 * row moved down after an unlinkable one marks a deletion hidden by renumbering. Consecutive
 * moved rows with one offset become one finding.
 */
export class FindingCollector {
  readonly #ring: Entry[] = [];
  readonly #capacity: number;
  readonly #add: (f: FindingDetails) => void;
  #run: { fromSeq: number; toSeq: number; offset: number } | undefined;
  #outOfOrder: { seq: number; afterSeq: number; count: number } | undefined;
  #beforeAnchor = 0;

  constructor(windowSize: number, add: (f: FindingDetails) => void) {
    this.#capacity = windowSize + 2;
    this.#add = add;
  }

  /** Rows at or before the anchor (a seal): not verified, only counted. */
  get beforeAnchor(): number {
    return this.#beforeAnchor;
  }

  onEvent(e: RowEvent): void {
    switch (e.type) {
      case 'gap':
        return this.#add({ kind: 'records-missing', fromSeq: e.fromSeq, toSeq: e.toSeq });
      case 'conflict':
        return this.#add({ kind: 'seq-conflict', seq: e.seq, recordIds: e.rows.map((r) => r.recordId) });
      case 'before-anchor':
        this.#beforeAnchor++;
        return;
      case 'out-of-order':
        if (this.#outOfOrder?.afterSeq === e.afterSeq) this.#outOfOrder.count++;
        else {
          this.#flushOutOfOrder();
          this.#outOfOrder = { seq: e.row.seq, afterSeq: e.afterSeq, count: 1 };
        }
        return;
      case 'row':
        if (!e.accepted) {
          if (e.status === 'inserted') this.#add({ kind: 'record-inserted', seq: e.row.seq, recordId: e.row.recordId, reason: 'duplicate-seq' });
          return;
        }
        return this.#onRow({ seq: e.row.seq, recordId: e.row.recordId, status: e.status, originalSeq: e.originalSeq, resolved: false });
    }
  }

  finish(): void {
    while (this.#ring.length > 0) this.#flush(this.#ring.shift()!);
    this.#flushRun();
    this.#flushOutOfOrder();
  }

  #onRow(entry: Entry): void {
    if (entry.status === 'moved' || entry.status === 'content-of') this.#relate(entry);
    this.#ring.push(entry);
    if (this.#ring.length > this.#capacity) this.#flush(this.#ring.shift()!);
  }

  #relate(entry: Entry): void {
    const o = entry.originalSeq!;
    const partner = this.#ring.find((x) => !x.resolved && x.status === entry.status && x.seq === o && x.originalSeq === entry.seq);
    if (partner) {
      partner.resolved = true;
      entry.resolved = true;
      this.#add({ kind: 'records-swapped', seqs: [partner.seq, entry.seq], recordIds: [partner.recordId, entry.recordId], how: entry.status === 'moved' ? 'seq' : 'content' });
      return;
    }
    if (entry.status !== 'moved') return;
    const before = this.#ring.find((x) => x.seq === entry.seq - 1 && !x.resolved);
    if (!before) return;
    if (o === entry.seq - 1 && (before.status === 'ok' || before.status === 'altered')) {
      // The row written at seq-1 now sits here: the row at seq-1 was pushed in, the rest renumbered.
      before.resolved = true;
      this.#add({ kind: 'record-inserted', seq: before.seq, recordId: before.recordId, reason: 'renumbered' });
    } else if (o === entry.seq + 1 && (before.status === 'altered' || before.status === 'unverifiable')) {
      // Renumbered down by one: the row before was written at its seq + 1, and the one at its seq deleted.
      this.#add({ kind: 'records-missing', fromSeq: before.seq, toSeq: before.seq, renumbered: true });
      before.status = 'moved';
      before.originalSeq = before.seq + 1;
    }
  }

  #flush(e: Entry): void {
    if (e.resolved) return;
    if (e.status === 'moved') {
      const offset = e.originalSeq! - e.seq;
      if (this.#run && this.#run.toSeq + 1 === e.seq && this.#run.offset === offset) this.#run.toSeq = e.seq;
      else {
        this.#flushRun();
        this.#run = { fromSeq: e.seq, toSeq: e.seq, offset };
      }
      return;
    }
    if (e.status === 'altered') this.#add({ kind: 'record-altered', seq: e.seq, recordId: e.recordId });
    else if (e.status === 'content-of') this.#add({ kind: 'record-altered', seq: e.seq, recordId: e.recordId, contentOfSeq: e.originalSeq! });
  }

  #flushRun(): void {
    if (this.#run) this.#add({ kind: 'records-moved', ...this.#run });
    this.#run = undefined;
  }

  #flushOutOfOrder(): void {
    if (this.#outOfOrder) this.#add({ kind: 'records-out-of-order', ...this.#outOfOrder });
    this.#outOfOrder = undefined;
  }
}

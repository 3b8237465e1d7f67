import { createHash } from 'node:crypto';
import type { EntryParts } from '../chain-encoding.js';
import { chainHash, type ChainHead } from '../hash-chain.js';
import { sameBytes } from '../hex.js';

/** A stored record as the verifier sees it: its claimed seq, stored hash and canonical entry parts. */
export interface ChainRow {
  readonly seq: number;
  readonly hash: Uint8Array;
  readonly recordId: string;
  readonly parts: EntryParts;
}

/**
 * How a row relates to the chain:
 * - ok: it hashes to its stored hash after its predecessor (possibly a predecessor that moved);
 * - altered: its content does not hash to its stored hash after any nearby predecessor;
 * - unverifiable: it follows a gap, so its predecessor is gone and it cannot be checked;
 * - moved: it is intact but was written at `originalSeq` (its seq was changed);
 * - content-of: its content is the one originally written at `originalSeq` (content copied or swapped);
 * - inserted: a second row with an already taken seq, which the chain does not continue from.
 */
export type RowStatus = 'ok' | 'altered' | 'unverifiable' | 'moved' | 'content-of' | 'inserted';

export type RowEvent =
  | { readonly type: 'row'; readonly row: ChainRow; readonly status: RowStatus; readonly originalSeq?: number; readonly accepted: boolean }
  | { readonly type: 'gap'; readonly fromSeq: number; readonly toSeq: number }
  | { readonly type: 'conflict'; readonly seq: number; readonly rows: readonly ChainRow[] }
  | { readonly type: 'out-of-order'; readonly row: ChainRow; readonly afterSeq: number }
  | { readonly type: 'before-anchor'; readonly row: ChainRow };

interface Pred {
  readonly seq: number;
  readonly hash: Uint8Array;
}

/**
 * Checks each row's link to its predecessor, in seq order, with a window of `windowSize` rows on
 * each side to explain the rows that do not link: moved, swapped, inserted, altered. A clean row
 * costs one SHA-256; only failing rows search the window (bounded by `searchBudget` rows, then
 * they are reported as altered without the search). Memory: O(windowSize).
 */
export class RowClassifier {
  readonly #window: number;
  readonly #emit: (e: RowEvent) => void;
  readonly #pending: ChainRow[] = [];
  /** Accepted rows just behind, oldest first (the anchor first at the start). */
  readonly #back: Pred[] = [];
  #prev: Pred;
  readonly #anchorSeq: number;
  #started = false;
  #lastPushedSeq: number;
  #memo: { row: ChainRow; prev: Pred; ok: boolean } | undefined;
  #searchBudget: number;
  #searchLimited = false;

  constructor(anchor: ChainHead, emit: (e: RowEvent) => void, windowSize = 8, searchBudget = 10_000) {
    this.#prev = { seq: anchor.seq, hash: anchor.hash };
    this.#back.push(this.#prev);
    this.#anchorSeq = anchor.seq;
    this.#lastPushedSeq = anchor.seq;
    this.#emit = emit;
    this.#window = Math.max(1, windowSize);
    this.#searchBudget = searchBudget;
  }

  /** True when more failing rows than the search budget were seen: the later ones were not explained. */
  get searchLimited(): boolean {
    return this.#searchLimited;
  }

  push(row: ChainRow): void {
    if (!this.#started && row.seq <= this.#anchorSeq) {
      this.#emit({ type: 'before-anchor', row });
      return;
    }
    this.#started = true;
    if (row.seq < this.#lastPushedSeq) {
      this.#emit({ type: 'out-of-order', row, afterSeq: this.#lastPushedSeq });
      return;
    }
    this.#lastPushedSeq = row.seq;
    this.#pending.push(row);
    this.#drain(false);
  }

  finish(): void {
    this.#drain(true);
  }

  #drain(final: boolean): void {
    while (this.#pending.length > 0) {
      const head = this.#pending[0]!;
      let end = 1;
      while (end < this.#pending.length && this.#pending[end]!.seq === head.seq) end++;
      const after = this.#pending.length - end;
      // Fast path: a lone row (the next row has another seq) that links to its predecessor.
      if (end === 1 && (after > 0 || final) && head.seq === this.#prev.seq + 1 && this.#linksToPrev(head)) {
        this.#pending.shift();
        this.#accept(head, 'ok');
        continue;
      }
      // Otherwise explain it with up to `window` rows after its group; wait for them unless at the end.
      if (!final && after < this.#window) return;
      this.#classify(this.#pending.splice(0, end));
    }
  }

  /** The link check of the head row against the current predecessor, computed once per pair. */
  #linksToPrev(row: ChainRow): boolean {
    const m = this.#memo;
    if (m && m.row === row && m.prev === this.#prev) return m.ok;
    const ok = this.#links(row, this.#prev.hash, row.seq);
    this.#memo = { row, prev: this.#prev, ok };
    return ok;
  }

  #classify(group: ChainRow[]): void {
    const s = group[0]!.seq;
    const afterGap = s > this.#prev.seq + 1;
    if (afterGap) this.#emit({ type: 'gap', fromSeq: this.#prev.seq + 1, toSeq: s - 1 });
    if (group.length === 1) {
      const row = group[0]!;
      if (!afterGap && this.#linksToPrev(row)) this.#accept(row, 'ok');
      else this.#explain(row, afterGap);
      return;
    }
    const next = this.#pending[0]?.seq === s + 1 ? this.#pending[0] : undefined;
    const linked = group.filter((r) => !afterGap && this.#links(r, this.#prev.hash, s));
    const referenced = next ? group.filter((r) => this.#links(next, r.hash, s + 1)) : [];
    const candidates = referenced.length > 0 ? referenced : linked;
    const copies = candidates.length > 1 && candidates.every((r) => sameBytes(r.hash, candidates[0]!.hash) && r.parts.prefix.equals(candidates[0]!.parts.prefix));
    const genuine = candidates.length === 1 || copies ? candidates[0] : undefined;
    if (!genuine) this.#emit({ type: 'conflict', seq: s, rows: group });
    const chosen = genuine ?? group[0]!;
    for (const r of group) if (r !== chosen) this.#emit({ type: 'row', row: r, status: genuine ? 'inserted' : 'altered', accepted: false });
    if (linked.includes(chosen)) this.#accept(chosen, 'ok');
    else this.#explain(chosen, afterGap);
  }

  /** A row that does not link to its in-order predecessor: find what happened to it. */
  #explain(row: ChainRow, afterGap: boolean): void {
    const s = row.seq;
    const preds: Pred[] = [...this.#back, ...this.#pending];
    // Its predecessor moved or was swapped away: it links to another nearby row.
    for (const p of preds) if ((afterGap || p !== this.#prev) && this.#links(row, p.hash, s)) return this.#accept(row, 'ok');
    if (this.#searchBudget <= 0) {
      this.#searchLimited = true;
      return this.#accept(row, afterGap ? 'unverifiable' : 'altered');
    }
    this.#searchBudget--;
    const moved = this.#findMove(row, preds);
    if (moved !== undefined) return this.#accept(row, 'moved', moved);
    const contentOf = this.#findContent(row);
    if (contentOf !== undefined) return this.#accept(row, 'content-of', contentOf);
    this.#accept(row, afterGap ? 'unverifiable' : 'altered');
  }

  /** The seq the row was written at, if it hashes to its own stored hash there after a nearby row. */
  #findMove(row: ChainRow, preds: readonly Pred[]): number | undefined {
    let lo = row.seq;
    let hi = row.seq;
    for (const p of preds) {
      lo = Math.min(lo, p.seq);
      hi = Math.max(hi, p.seq + 1);
    }
    for (const p of preds) {
      const base = createHash('sha256').update(p.hash).update(row.parts.prefix);
      for (let t = Math.max(1, lo); t <= hi + 1; t++) {
        if (t === row.seq) continue;
        if (sameBytes(base.copy().update(`${t}${row.parts.suffix}`, 'latin1').digest(), row.hash)) return t;
      }
    }
    return undefined;
  }

  /** The seq whose stored hash the row's content produces after that seq's stored predecessor (content moved there). */
  #findContent(row: ChainRow): number | undefined {
    const around: Pred[] = [...this.#back, row, ...this.#pending];
    for (let j = 1; j < around.length; j++) {
      const y = around[j]!;
      if (y === row || y.seq === row.seq) continue;
      if (this.#links(row, around[j - 1]!.hash, y.seq, y.hash)) return y.seq;
    }
    return undefined;
  }

  #links(row: ChainRow, prevHash: Uint8Array, seq: number, expected: Uint8Array = row.hash): boolean {
    const h = chainHash(prevHash, row.parts, seq);
    return sameBytes(h, expected);
  }

  #accept(row: ChainRow, status: RowStatus, originalSeq?: number): void {
    this.#prev = row;
    this.#back.push(row);
    if (this.#back.length > this.#window) this.#back.shift();
    this.#emit(originalSeq === undefined ? { type: 'row', row, status, accepted: true } : { type: 'row', row, status, originalSeq, accepted: true });
  }
}

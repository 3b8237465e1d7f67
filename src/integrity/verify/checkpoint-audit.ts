import { canonicalJson } from '../canonical-json.js';
import { checkCheckpointSignature, parseCheckpoint, type Checkpoint } from '../checkpoint.js';
import type { CheckpointLog } from '../file-checkpoint-sink.js';
import type { ChainHead } from '../hash-chain.js';
import { fromHex, sameBytes, toHex } from '../hex.js';
import type { PublicKeyring } from '../keyring.js';
import { EMPTY_TREE_ROOT, MerkleAccumulator } from '../merkle.js';
import { checkpointRef, type CheckpointRef, type FindingDetails } from './findings.js';

interface Trusted {
  readonly c: Checkpoint;
  inDatabase: boolean;
  inExternal: boolean;
}

interface Check {
  readonly t: Trusted;
  acc: MerkleAccumulator | undefined;
  broken: boolean;
}

interface Mismatch {
  readonly ref: CheckpointRef;
  readonly field: 'headHash' | 'merkleRoot';
  readonly signed: string;
  readonly recomputed: string;
}

export interface CheckpointStats {
  /** Distinct checkpoints read (database and external log together). */
  readonly total: number;
  /** With a valid signature by a trusted key: the ones verify relies on. */
  readonly trusted: number;
  /** Head and Merkle root recomputed from the records and equal. */
  readonly verified: number;
  /** Head equal, Merkle root not recomputable (its period starts before the anchor or has a gap). */
  readonly headOnly: number;
  readonly mismatched: number;
  /** Not checked: the record at their toSeq is missing (see records-missing). */
  readonly incomplete: number;
  /** Ending after the last record (see the tail findings). */
  readonly beyondRecords: number;
  /** Ending before the anchor (dropped by retention): signature checked only. */
  readonly beforeAnchor: number;
  /** The latest trusted checkpoint of the external log, if one was given. */
  readonly externalLatest?: { readonly toSeq: number; readonly time: string };
}

/**
 * The checkpoint side of verify: parses and signature-checks the database's checkpoints and the
 * external log's, compares the two, picks the anchor (genesis or the latest seal before the first
 * record), then checks each trusted checkpoint's head hash and Merkle root against the records as
 * they stream by (one O(log n) Merkle frontier per open period).
 */
export class CheckpointAudit {
  readonly #add: (f: FindingDetails) => void;
  readonly #trusted: Trusted[] = [];
  readonly #externalGiven: boolean;
  readonly #byFrom = new Map<number, Check[]>();
  readonly #byTo = new Map<number, Check[]>();
  readonly #active = new Set<Check>();
  readonly #mismatches: Mismatch[] = [];
  #lastSeq = 0;
  #verified = 0;
  #headOnly = 0;
  #beforeAnchor = 0;
  #coveredSeq = 0;
  #total = 0;
  /** Periods of database checkpoints whose signature failed: an altered row, not a missing one. */
  readonly #rejectedInDatabase = new Set<string>();

  constructor(orgId: string, keys: PublicKeyring, database: readonly unknown[], external: CheckpointLog | undefined, add: (f: FindingDetails) => void) {
    this.#add = add;
    this.#externalGiven = external !== undefined;
    // Keyed by the whole checkpoint: an altered copy must not pass for the original.
    const byBody = new Map<string, Trusted>();
    const rejected = new Set<string>();
    const take = (c: Checkpoint, source: 'database' | 'external') => {
      const key = canonicalJson(c);
      const known = byBody.get(key);
      if (known) {
        if (source === 'database') known.inDatabase = true;
        else known.inExternal = true;
        return;
      }
      if (rejected.has(key)) return;
      const check = checkCheckpointSignature(c, keys);
      if (check !== 'valid') {
        rejected.add(key);
        if (source === 'database') this.#rejectedInDatabase.add(periodKey(c));
        const ref = checkpointRef(c, source);
        add(check === 'invalid' ? { kind: 'checkpoint-signature-invalid', checkpoint: ref } : { kind: 'checkpoint-key-unknown', checkpoint: ref, keyId: c.keyId });
        return;
      }
      const t: Trusted = { c, inDatabase: source === 'database', inExternal: source === 'external' };
      byBody.set(key, t);
      this.#trusted.push(t);
    };
    for (const raw of database) {
      const r = parseCheckpoint(raw);
      if (!r.ok) add({ kind: 'checkpoint-malformed', source: 'database', message: r.message });
      else if (r.checkpoint.orgId !== orgId) add({ kind: 'checkpoint-malformed', source: 'database', message: `belongs to org "${r.checkpoint.orgId}"` });
      else take(r.checkpoint, 'database');
    }
    for (const p of external?.problems ?? []) add({ kind: 'checkpoint-malformed', source: 'external', line: p.line, message: p.message });
    for (const c of external?.checkpoints ?? []) if (c.orgId === orgId) take(c, 'external');
    this.#total = byBody.size + rejected.size;
    this.#compareSources();
  }

  /** The latest trusted seal: retention dropped everything up to its toSeq, so the chain resumes after it. */
  latestSeal(): Checkpoint | undefined {
    let best: Checkpoint | undefined;
    for (const { c } of this.#trusted) if (c.kind === 'seal' && (!best || c.toSeq > best.toSeq)) best = c;
    return best;
  }

  /** Schedules every trusted checkpoint against the records that follow `anchor`. */
  start(anchor: ChainHead): void {
    this.#lastSeq = anchor.seq;
    this.#coveredSeq = anchor.seq;
    for (const t of this.#trusted) {
      const c = t.c;
      if (c.toSeq < anchor.seq) {
        this.#beforeAnchor++;
        continue;
      }
      const check: Check = { t, acc: undefined, broken: false };
      if (c.fromSeq > c.toSeq) this.#compare(check, 'merkleRoot', EMPTY_TREE_ROOT);
      if (c.toSeq === anchor.seq) {
        this.#end(check, anchor.hash);
        continue;
      }
      push(this.#byTo, c.toSeq, check);
      if (c.fromSeq > anchor.seq && c.fromSeq <= c.toSeq) push(this.#byFrom, c.fromSeq, check);
    }
  }

  /** The record accepted at `seq` (in seq order) with its stored hash. */
  onRecord(seq: number, hash: Uint8Array): void {
    if (seq !== this.#lastSeq + 1) for (const a of this.#active) a.broken = true;
    this.#lastSeq = seq;
    const starting = this.#byFrom.get(seq);
    if (starting) {
      this.#byFrom.delete(seq);
      for (const s of starting) {
        s.acc = new MerkleAccumulator();
        this.#active.add(s);
      }
    }
    for (const a of this.#active) a.acc!.add(hash);
    const ending = this.#byTo.get(seq);
    if (ending) {
      this.#byTo.delete(seq);
      for (const e of ending) this.#end(e, hash);
    }
  }

  /** Findings of mismatches (with the record findings in their ranges) and the counts. */
  finish(recordFindingSeqs: readonly number[]): CheckpointStats {
    const sorted = [...recordFindingSeqs].sort((a, b) => a - b);
    for (const m of this.#mismatches) {
      const n = countInRange(sorted, m.ref.fromSeq, m.ref.toSeq);
      this.#add({ kind: 'checkpoint-mismatch', checkpoint: m.ref, field: m.field, signed: m.signed, recomputed: m.recomputed, recordFindingsInRange: n });
    }
    let beyond = 0;
    let incomplete = 0;
    for (const list of this.#byTo.values()) {
      for (const c of list) {
        if (c.t.c.toSeq > this.#lastSeq) beyond++;
        else incomplete++;
      }
    }
    const mismatched = new Set(this.#mismatches.map((m) => `${m.ref.fromSeq}:${m.ref.toSeq}:${m.ref.time}`)).size;
    const ext = this.latest('external');
    return {
      total: this.#total,
      trusted: this.#trusted.length,
      verified: this.#verified,
      headOnly: this.#headOnly,
      mismatched,
      incomplete,
      beyondRecords: beyond,
      beforeAnchor: this.#beforeAnchor,
      ...(ext ? { externalLatest: { toSeq: ext.toSeq, time: ext.time } } : {}),
    };
  }

  /** The trusted checkpoint with the highest toSeq from one source. */
  latest(source: 'database' | 'external'): Checkpoint | undefined {
    let best: Checkpoint | undefined;
    for (const t of this.#trusted) {
      if (!(source === 'database' ? t.inDatabase : t.inExternal)) continue;
      if (!best || t.c.toSeq > best.toSeq || (t.c.toSeq === best.toSeq && t.c.time > best.time)) best = t.c;
    }
    return best;
  }

  /** The highest seq whose head a trusted checkpoint confirmed. */
  get coveredSeq(): number {
    return this.#coveredSeq;
  }

  #end(check: Check, hash: Uint8Array): void {
    this.#active.delete(check);
    const c = check.t.c;
    const headOk = this.#compare(check, 'headHash', hash);
    if (headOk) this.#coveredSeq = Math.max(this.#coveredSeq, c.toSeq);
    let rootChecked = c.fromSeq > c.toSeq;
    if (check.acc && !check.broken && check.acc.size === c.toSeq - c.fromSeq + 1) {
      this.#compare(check, 'merkleRoot', check.acc.root());
      rootChecked = true;
    }
    if (this.#mismatches.some((m) => m.ref.fromSeq === c.fromSeq && m.ref.toSeq === c.toSeq && m.ref.time === c.time)) return;
    if (rootChecked) this.#verified++;
    else this.#headOnly++;
  }

  #compare(check: Check, field: 'headHash' | 'merkleRoot', recomputed: Uint8Array): boolean {
    const c = check.t.c;
    const signed = fromHex(c[field])!;
    if (sameBytes(signed, recomputed)) return true;
    this.#mismatches.push({ ref: this.#ref(check.t), field, signed: c[field], recomputed: toHex(recomputed) });
    return false;
  }

  #ref(t: Trusted): CheckpointRef {
    return checkpointRef(t.c, t.inDatabase && t.inExternal ? 'both' : t.inDatabase ? 'database' : 'external');
  }

  /** Database vs external log, and signed checkpoints that disagree on a head (a fork). */
  #compareSources(): void {
    const byTo = new Map<number, Trusted[]>();
    for (const t of this.#trusted) push(byTo, t.c.toSeq, t);
    for (const [seq, list] of byTo) {
      if (new Set(list.map((t) => t.c.headHash)).size > 1) this.#add({ kind: 'checkpoint-conflict', seq, checkpoints: list.map((t) => this.#ref(t)) });
    }
    if (!this.#externalGiven) return;
    const dbMax = this.latest('database')?.toSeq ?? 0;
    for (const t of this.#trusted) {
      if (t.inExternal && !t.inDatabase && t.c.toSeq <= dbMax && !this.#rejectedInDatabase.has(periodKey(t.c))) this.#add({ kind: 'checkpoint-missing-from-database', checkpoint: this.#ref(t) });
      if (t.inDatabase && !t.inExternal) this.#add({ kind: 'checkpoint-missing-from-external-log', checkpoint: this.#ref(t) });
    }
  }
}

function periodKey(c: Checkpoint): string {
  return `${c.kind}:${c.fromSeq}:${c.toSeq}:${c.time}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function countInRange(sorted: readonly number[], from: number, to: number): number {
  const lower = (x: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return lower(to + 1) - lower(from);
}

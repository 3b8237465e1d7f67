import { recordId, type AuditRecord } from '../../core/record.js';
import { entryParts } from '../chain-encoding.js';
import type { CheckpointLog } from '../file-checkpoint-sink.js';
import { genesisHead, type ChainHead } from '../hash-chain.js';
import { asBytes, fromHex, sameBytes, toHex } from '../hex.js';
import type { PublicKeyring } from '../keyring.js';
import { CheckpointAudit, type CheckpointStats } from './checkpoint-audit.js';
import { FindingCollector } from './finding-collector.js';
import { finding, findingSeq, severityOf, type Finding, type FindingDetails, type FindingKind } from './findings.js';
import { RowClassifier, type RowEvent } from './row-classifier.js';

/** One stored record of the org, as the storage streams it in seq order. */
export interface StoredChainRecord {
  readonly seq: number;
  /** The stored hash: bytes (a bytea column) or hex. */
  readonly hash: Uint8Array | string;
  readonly record: AuditRecord;
}

export interface ChainVerifierOptions {
  readonly orgId: string;
  /** Trusted public keys, retired ones included (key rotation). */
  readonly publicKeys: PublicKeyring;
  /** The org's checkpoints as the database holds them (Checkpoint objects or raw JSON values). */
  readonly checkpoints?: readonly unknown[];
  /** The external checkpoint log (readCheckpointLog); omit when none is configured. */
  readonly externalLog?: CheckpointLog;
  /** The org's chain_heads row: null when it has none, undefined when not checked. */
  readonly storedHead?: ChainHead | null;
  /** Stored records of the org that have no seq/hash. */
  readonly unchained?: { readonly count: number; readonly recordIds: readonly string[] };
  /** Start after this trusted point instead of genesis or the latest seal (see findRangeAnchor). */
  readonly anchor?: ChainHead;
  /** Verify up to this seq only: the tail checks (truncation, restore) are skipped. */
  readonly toSeq?: number;
  /** For progress: how many records will be pushed, when known. */
  readonly totalRecords?: number;
  readonly onProgress?: (done: number, total: number | undefined) => void;
  /** Records between progress calls (default 1000). */
  readonly progressEvery?: number;
  /** Rows looked at on each side to explain a broken link (default 8). */
  readonly windowSize?: number;
  /** Findings listed in the report (default 1000); all are counted. */
  readonly maxFindings?: number;
}

export interface VerifyReport {
  readonly orgId: string;
  /** No finding of severity error. */
  readonly ok: boolean;
  /** Where verification started: genesis, the latest seal (records up to it were dropped by retention), or the given anchor. */
  readonly anchor: { readonly seq: number; readonly hash: string; readonly source: 'genesis' | 'seal' | 'given' };
  readonly records: { readonly checked: number; readonly firstSeq: number | undefined; readonly lastSeq: number; readonly beforeAnchor: number };
  /** The last record's seq and stored hash (the anchor when there is none). */
  readonly head: { readonly seq: number; readonly hash: string };
  readonly checkpoints: CheckpointStats;
  /** Records after the last checkpoint-confirmed head: covered by the chain, not yet by a signature. */
  readonly uncheckpointed: number;
  readonly findings: readonly Finding[];
  readonly findingCounts: Readonly<Partial<Record<FindingKind, number>>>;
  /** Findings counted but not listed (beyond maxFindings). */
  readonly findingsNotListed: number;
  /** More broken links than the search budget: the later ones are reported as altered without explanation. */
  readonly explanationLimited: boolean;
}

const RECORD_KINDS: ReadonlySet<FindingKind> = new Set(['record-altered', 'records-missing', 'record-inserted', 'records-swapped', 'records-moved', 'seq-conflict']);

/**
 * Recomputes an org's chain from its stored records, pushed in seq order, and checks it against
 * the checkpoints (database and external log) and the chain head. Streaming: memory is constant
 * in the number of records (a window of rows, one Merkle frontier per open period, the findings).
 */
export class ChainVerifier {
  readonly #o: ChainVerifierOptions;
  readonly #audit: CheckpointAudit;
  readonly #collector: FindingCollector;
  readonly #findings: Finding[] = [];
  readonly #counts: Partial<Record<FindingKind, number>> = {};
  readonly #recordFindingSeqs: number[] = [];
  readonly #window: number;
  #classifier: RowClassifier | undefined;
  #anchor: { head: ChainHead; source: 'genesis' | 'seal' | 'given' } | undefined;
  #pushed = 0;
  #firstSeq: number | undefined;
  #last: ChainHead | undefined;
  #headHashSeen: Uint8Array | undefined;
  #finished: VerifyReport | undefined;

  constructor(options: ChainVerifierOptions) {
    this.#o = options;
    this.#window = options.windowSize ?? 8;
    const add = (f: FindingDetails) => this.#addFinding(f);
    this.#audit = new CheckpointAudit(options.orgId, options.publicKeys, options.checkpoints ?? [], options.externalLog, add);
    this.#collector = new FindingCollector(this.#window, add);
  }

  push(stored: StoredChainRecord): void {
    if (this.#o.toSeq !== undefined && stored.seq > this.#o.toSeq) return;
    const classifier = this.#classifier ?? this.#begin(stored.seq);
    const hash = asBytes(stored.hash) ?? new Uint8Array(0);
    classifier.push({ seq: stored.seq, hash, recordId: recordId(stored.record), parts: entryParts(this.#o.orgId, stored.record) });
    this.#pushed++;
    const every = this.#o.progressEvery ?? 1000;
    if (this.#o.onProgress && this.#pushed % every === 0) this.#o.onProgress(this.#pushed, this.#o.totalRecords);
  }

  finish(): VerifyReport {
    if (this.#finished) return this.#finished;
    const classifier = this.#classifier ?? this.#begin(undefined);
    classifier.finish();
    this.#collector.finish();
    const anchor = this.#anchor!;
    const last = this.#last ?? anchor.head;
    if (this.#o.toSeq === undefined) this.#checkTail(last.seq);
    if (this.#o.unchained && this.#o.unchained.count > 0) {
      this.#addFinding({ kind: 'records-unchained', count: this.#o.unchained.count, recordIds: this.#o.unchained.recordIds.slice(0, 20) });
    }
    const checkpoints = this.#audit.finish(this.#recordFindingSeqs);
    this.#o.onProgress?.(this.#pushed, this.#o.totalRecords);
    const findings = this.#findings.sort((a, b) => findingSeq(a) - findingSeq(b));
    const total = Object.values(this.#counts).reduce((a, b) => a + b, 0);
    this.#finished = {
      orgId: this.#o.orgId,
      ok: !Object.entries(this.#counts).some(([kind, n]) => n > 0 && severityOf(kind as FindingKind) === 'error'),
      anchor: { seq: anchor.head.seq, hash: toHex(anchor.head.hash), source: anchor.source },
      records: { checked: this.#pushed - this.#collector.beforeAnchor, firstSeq: this.#firstSeq, lastSeq: last.seq, beforeAnchor: this.#collector.beforeAnchor },
      head: { seq: last.seq, hash: toHex(last.hash) },
      checkpoints,
      uncheckpointed: Math.max(0, last.seq - Math.max(this.#audit.coveredSeq, anchor.head.seq)),
      findings,
      findingCounts: this.#counts,
      findingsNotListed: total - findings.length,
      explanationLimited: classifier.searchLimited,
    };
    return this.#finished;
  }

  #begin(firstSeq: number | undefined): RowClassifier {
    this.#firstSeq = firstSeq;
    const seal = this.#o.anchor ? undefined : this.#audit.latestSeal();
    const head: ChainHead = this.#o.anchor ?? (seal ? { seq: seal.toSeq, hash: fromHex(seal.headHash)! } : genesisHead(this.#o.orgId));
    this.#anchor = { head, source: this.#o.anchor ? 'given' : seal ? 'seal' : 'genesis' };
    this.#audit.start(head);
    this.#classifier = new RowClassifier(head, (e) => this.#onRowEvent(e), this.#window);
    return this.#classifier;
  }

  #onRowEvent(e: RowEvent): void {
    if (e.type === 'row' && e.accepted) {
      this.#audit.onRecord(e.row.seq, e.row.hash);
      this.#last = { seq: e.row.seq, hash: e.row.hash };
      if (this.#o.storedHead && e.row.seq === this.#o.storedHead.seq) this.#headHashSeen = e.row.hash;
    }
    this.#collector.onEvent(e);
  }

  #checkTail(lastSeq: number): void {
    const head = this.#o.storedHead;
    const dbLatest = this.#audit.latest('database');
    const extLatest = this.#audit.latest('external');
    const externalSeq = extLatest && extLatest.toSeq > lastSeq ? extLatest.toSeq : undefined;
    const ext = externalSeq === undefined ? {} : { externalSeq };
    if (head && head.seq > lastSeq) this.#addFinding({ kind: 'tail-truncated', lastSeq, expectedSeq: head.seq, evidence: 'chain-head', ...ext });
    else if (dbLatest && dbLatest.toSeq > lastSeq) this.#addFinding({ kind: 'tail-truncated', lastSeq, expectedSeq: dbLatest.toSeq, evidence: 'checkpoint', ...ext });
    else if (extLatest && externalSeq !== undefined) this.#addFinding({ kind: 'database-behind-external-log', lastSeq, externalSeq, externalTime: extLatest.time });
    if (head === null && lastSeq > this.#anchor!.head.seq) this.#addFinding({ kind: 'records-beyond-head', headSeq: 0, lastSeq });
    if (!head) return;
    if (head.seq < lastSeq) this.#addFinding({ kind: 'records-beyond-head', headSeq: head.seq, lastSeq });
    const seen = head.seq === this.#anchor!.head.seq ? this.#anchor!.head.hash : this.#headHashSeen;
    if (head.seq <= lastSeq && seen && !sameBytes(seen, head.hash)) this.#addFinding({ kind: 'head-mismatch', seq: head.seq, headHash: toHex(head.hash), recordHash: toHex(seen) });
  }

  #addFinding(details: FindingDetails): void {
    this.#counts[details.kind] = (this.#counts[details.kind] ?? 0) + 1;
    if (RECORD_KINDS.has(details.kind) && this.#recordFindingSeqs.length < 1_000_000) {
      this.#recordFindingSeqs.push(findingSeq(details));
      if (details.kind === 'records-swapped') this.#recordFindingSeqs.push(details.seqs[1]);
      if (details.kind === 'records-moved' || details.kind === 'records-missing') this.#recordFindingSeqs.push(details.toSeq);
    }
    if (this.#findings.length < (this.#o.maxFindings ?? 1000)) this.#findings.push(finding(details));
  }
}

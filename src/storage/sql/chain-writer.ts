import { errorMessage } from '../../core/errors.js';
import type { AuditRecord } from '../../core/record.js';
import type { EntryParts } from '../../integrity/chain-encoding.js';
import { parseCheckpoint, type Checkpoint } from '../../integrity/checkpoint.js';
import type { CheckpointPolicy } from '../../integrity/checkpoint-policy.js';
import type { ChainEntry, ChainHead } from '../../integrity/hash-chain.js';
import { sameBytes, toHex } from '../../integrity/hex.js';
import type { SigningKeyring } from '../../integrity/keyring.js';
import { appendToOrgChain, checkpointDue, cutCheckpoint, resumeOrgChain, startOrgChain, type OrgChainState } from '../../integrity/org-chain.js';
import { storedHashes } from './chain-reader.js';
import { insertCheckpointRow } from './checkpoint-rows.js';
import type { SqlExecutor } from './sql-driver.js';
import { decodeText, encodeText } from './text-codec.js';

/** Checkpoint signing for the writer: the active key and when to cut (docs/integrity.md). */
export interface ChainSigning {
  readonly keyring: SigningKeyring;
  readonly policy: CheckpointPolicy;
}

/** One new record to chain, with its canonical entry encoded beforehand (outside the lock). */
export interface ChainItem {
  readonly record: AuditRecord;
  readonly parts: EntryParts;
}

/** What one transaction chained: applied to the writer's memory only once it has committed. */
export interface ChainedBatch {
  /** seq and hash of each item, in the order given. */
  readonly entries: readonly ChainEntry[];
  readonly states: readonly OrgChainState[];
  /** Checkpoints inserted in the transaction: append them to the external log after commit. */
  readonly checkpoints: readonly Checkpoint[];
}

export type ChainDiagnostic = { type: 'chain-resumed'; orgId: string; seq: number } | { type: 'chain-resume-failed'; orgId: string; error: string };

const LOCK = `SELECT pg_advisory_xact_lock(hashtext('auditrail.chain:' || $1))`;
// the head, and the end of the last periodic checkpoint: a cached state is only used when both match
const HEADS = `SELECT h.org_id, h.seq, h.hash,
  (SELECT max(c.to_seq) FROM checkpoints c WHERE c.org_id = h.org_id AND c.kind = 'periodic') AS checkpoint_to
FROM chain_heads h WHERE h.org_id = ANY($1::text[])`;
// orgs whose stored head is past their last periodic checkpoint: records no signature covers yet
const BEHIND = `SELECT h.org_id FROM chain_heads h
WHERE h.seq > coalesce((SELECT max(c.to_seq) FROM checkpoints c WHERE c.org_id = h.org_id AND c.kind = 'periodic'), 0)`;
const UPSERT_HEADS = `INSERT INTO chain_heads (org_id, seq, hash)
SELECT u.org_id, u.seq, decode(u.hash, 'hex') FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(org_id, seq, hash)
ON CONFLICT (org_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, updated_at = now()`;
const LAST_CHECKPOINT = `SELECT body::text AS body FROM checkpoints WHERE org_id = $1 AND kind = 'periodic' ORDER BY to_seq DESC, cut_at DESC LIMIT 1`;

/**
 * The writer side of the integrity chain on the SQL storages. Inside a batch's transaction it
 * takes each org's chain lock (an explicit advisory lock held until commit, so that concurrent
 * writers of one org, in this process or another, never fork the chain), reads the org's head,
 * assigns seq and hash to the new records, upserts the head and, when the policy says so, inserts
 * a signed checkpoint. Per-org state (the head and the period's Merkle frontier) is kept in memory
 * and rebuilt from the database when the stored head is not the one this writer last wrote.
 */
export class ChainWriter {
  readonly #signing: ChainSigning | undefined;
  readonly #states = new Map<string, OrgChainState>();
  readonly #onDiagnostic: (d: ChainDiagnostic) => void;

  constructor(signing: ChainSigning | undefined, onDiagnostic: (d: ChainDiagnostic) => void = () => undefined) {
    this.#signing = signing;
    this.#onDiagnostic = onDiagnostic;
  }

  /** Chains `items` (in write order) in the caller's transaction. Pure towards memory until settle(). */
  async chain(tx: SqlExecutor, items: readonly ChainItem[], nowMs: number): Promise<ChainedBatch> {
    const byOrg = new Map<string, ChainItem[]>();
    for (const item of items) {
      const list = byOrg.get(item.record.orgId);
      if (list) list.push(item);
      else byOrg.set(item.record.orgId, [item]);
    }
    const orgs = [...byOrg.keys()].sort();
    const states = await this.#lockAndLoad(tx, orgs, nowMs);
    const entryOf = new Map<ChainItem, ChainEntry>();
    const next: OrgChainState[] = [];
    const checkpoints: Checkpoint[] = [];
    for (const org of orgs) {
      const list = byOrg.get(org)!;
      const appended = appendToOrgChain(
        states.get(org)!,
        list.map((i) => i.record),
        nowMs,
        list.map((i) => i.parts),
      );
      appended.entries.forEach((e, k) => entryOf.set(list[k]!, e));
      let state = appended.state;
      if (this.#signing && checkpointDue(state, this.#signing.policy, nowMs)) {
        const cut = cutCheckpoint(state, this.#signing.keyring, nowMs);
        state = cut.state;
        checkpoints.push(cut.checkpoint);
      }
      next.push(state);
    }
    await writeHeads(tx, next);
    for (const c of checkpoints) await insertCheckpointRow(tx, c);
    return { entries: items.map((i) => entryOf.get(i)!), states: next, checkpoints };
  }

  /**
   * Cuts the checkpoints that are due without a new record (an old period, an idle head to
   * re-sign) for the orgs this writer knows, and for every org whose stored records run past its
   * last checkpoint while this writer does not hold its state (written before a restart, or by
   * another writer that went away): those are cut at once, their records' age being unknown.
   */
  async cutDue(tx: SqlExecutor, nowMs: number): Promise<ChainedBatch> {
    const signing = this.#signing;
    if (!signing) return { entries: [], states: [], checkpoints: [] };
    const due = new Set([...this.#states.values()].filter((s) => checkpointDue(s, signing.policy, nowMs)).map((s) => s.orgId));
    const unheld = new Set<string>();
    for (const r of await tx.query<{ org_id: string }>(BEHIND)) {
      const org = decodeText(r.org_id);
      if (!this.#states.has(org)) unheld.add(org);
    }
    const orgs = [...new Set([...due, ...unheld])].sort();
    if (orgs.length === 0) return { entries: [], states: [], checkpoints: [] };
    const states = await this.#lockAndLoad(tx, orgs, nowMs);
    const next: OrgChainState[] = [];
    const checkpoints: Checkpoint[] = [];
    for (const org of orgs) {
      const state = states.get(org)!;
      const cutNow = unheld.has(org) ? state.periodSize > 0 : checkpointDue(state, signing.policy, nowMs);
      if (!cutNow) continue;
      const cut = cutCheckpoint(state, signing.keyring, nowMs);
      next.push(cut.state);
      checkpoints.push(cut.checkpoint);
    }
    for (const c of checkpoints) await insertCheckpointRow(tx, c);
    return { entries: [], states: next, checkpoints };
  }

  /** After COMMIT: keeps the new states (never going back to an older head). */
  settle(batch: ChainedBatch): void {
    for (const s of batch.states) {
      const known = this.#states.get(s.orgId);
      if (!known || known.head.seq <= s.head.seq) this.#states.set(s.orgId, s);
    }
  }

  /** Takes the orgs' chain locks in sorted order (no deadlock between batches) and loads their states. */
  async #lockAndLoad(tx: SqlExecutor, orgs: readonly string[], nowMs: number): Promise<Map<string, OrgChainState>> {
    // org ids go through the text codec like every stored org_id (a NUL cannot reach PostgreSQL)
    for (const org of orgs) await tx.query(LOCK, [encodeText(org)]);
    const rows = await tx.query<{ org_id: string; seq: string | number; hash: Uint8Array; checkpoint_to: string | number | null }>(HEADS, [orgs.map(encodeText)]);
    const stored = new Map(rows.map((r) => [decodeText(r.org_id), { head: { seq: Number(r.seq), hash: r.hash } satisfies ChainHead, checkpointTo: r.checkpoint_to === null ? 0 : Number(r.checkpoint_to) }]));
    const out = new Map<string, OrgChainState>();
    for (const org of orgs) {
      const s = stored.get(org);
      const known = this.#states.get(org);
      if (!s) out.set(org, startOrgChain(org));
      else if (known && known.head.seq === s.head.seq && sameBytes(known.head.hash, s.head.hash) && (!this.#signing || known.periodFromSeq === s.checkpointTo + 1)) out.set(org, known);
      else out.set(org, await this.#resume(tx, org, s.head, nowMs));
    }
    return out;
  }

  /**
   * Rebuilds an org's state from the database (a restart, or another writer wrote since). When
   * the stored hashes do not fit the head and the last checkpoint (the rows were changed), the
   * writer carries on from the stored head with a new period, so that ingestion never stops;
   * verify reports what was changed.
   */
  async #resume(tx: SqlExecutor, orgId: string, head: ChainHead, nowMs: number): Promise<OrgChainState> {
    const fresh = { ...startOrgChain(orgId), head, periodFromSeq: head.seq + 1 };
    if (!this.#signing) return fresh;
    // database errors propagate (the transaction is aborted and retried whole); only data that
    // does not fit (a changed row, a bad checkpoint body) falls back to a fresh period
    const [row] = await tx.query<{ body: string }>(LAST_CHECKPOINT, [encodeText(orgId)]);
    let parsed: ReturnType<typeof parseCheckpoint> | undefined;
    try {
      parsed = row ? parseCheckpoint(JSON.parse(row.body)) : undefined;
    } catch {
      parsed = undefined;
    }
    const lastCheckpoint = parsed?.ok ? parsed.checkpoint : undefined;
    const periodHashes = await storedHashes(tx, orgId, (lastCheckpoint?.toSeq ?? 0) + 1, head.seq);
    try {
      const state = resumeOrgChain({ orgId, head, lastCheckpoint, periodHashes, periodStartedAtMs: nowMs });
      this.#onDiagnostic({ type: 'chain-resumed', orgId, seq: head.seq });
      return state;
    } catch (err) {
      this.#onDiagnostic({ type: 'chain-resume-failed', orgId, error: errorMessage(err) });
      return fresh;
    }
  }
}

async function writeHeads(tx: SqlExecutor, states: readonly OrgChainState[]): Promise<void> {
  if (states.length === 0) return;
  await tx.query(UPSERT_HEADS, [states.map((s) => encodeText(s.orgId)), states.map((s) => s.head.seq), states.map((s) => toHex(s.head.hash))]);
}

import { LOAD_AGENT } from './sdk-load.js';
import type { TestCluster } from './test-cluster.js';

export interface StoredCheck {
  readonly stored: number;
  /** Ids stored more than once. */
  readonly duplicates: string[];
  /** Ids acknowledged to a client and not stored. */
  readonly missing: string[];
}

/** Every acknowledged event stored, none twice (read from PostgreSQL directly). */
export async function checkStored(cluster: TestCluster, acked: ReadonlySet<string>): Promise<StoredCheck> {
  const rows = await cluster.sql<{ id: string; n: number }>('SELECT event_id::text AS id, count(*)::int AS n FROM events WHERE agent_id = $1 GROUP BY event_id', [LOAD_AGENT]);
  const stored = new Set(rows.map((r) => r.id));
  return {
    stored: stored.size,
    duplicates: rows.filter((r) => r.n > 1).map((r) => r.id),
    missing: [...acked].filter((id) => !stored.has(id.toLowerCase())),
  };
}

export interface ChainCheck {
  /** Orgs whose records carry a chain (seq and hash). */
  readonly chained: string[];
  /** Orgs whose records carry none (the chain is not wired into this storage yet). */
  readonly unchained: string[];
  /** Per org, what is wrong: a gap, a repeated seq, a record without seq among chained ones, a head that disagrees. */
  readonly problems: string[];
}

/**
 * Per org, the chain sequence over all its records (events and interactions): when the storage
 * chains, seq must run 1..n with no gap, no repeat and no record left out, and chain_heads must
 * stand at n (one writer per org at a time: a fork would repeat a seq, a lost batch leave a gap).
 * When it does not chain yet, every record must be unchained (none half-chained).
 */
export async function checkChains(cluster: TestCluster): Promise<ChainCheck> {
  const rows = await cluster.sql<{ org: string; seq: string | null }>('SELECT org_id AS org, seq::text AS seq FROM events UNION ALL SELECT org_id, seq::text FROM interactions');
  const heads = new Map((await cluster.sql<{ org: string; seq: string }>('SELECT org_id AS org, seq::text AS seq FROM chain_heads')).map((h) => [h.org, Number(h.seq)]));
  const byOrg = new Map<string, (number | null)[]>();
  for (const r of rows) {
    const list = byOrg.get(r.org) ?? [];
    list.push(r.seq === null ? null : Number(r.seq));
    byOrg.set(r.org, list);
  }
  const chained: string[] = [];
  const unchained: string[] = [];
  const problems: string[] = [];
  for (const [org, seqs] of byOrg) {
    const nulls = seqs.filter((s) => s === null).length;
    if (nulls === seqs.length && !heads.has(org)) {
      unchained.push(org);
      continue;
    }
    chained.push(org);
    if (nulls > 0) problems.push(`${org}: ${nulls} of ${seqs.length} records have no seq`);
    const sorted = seqs.filter((s): s is number => s !== null).sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i++) {
      if (sorted[i] !== i + 1) {
        problems.push(`${org}: seq ${i + 1} expected, found ${sorted[i]} (a gap or a repeat)`);
        break;
      }
    }
    if (heads.get(org) !== seqs.length) problems.push(`${org}: chain head at ${heads.get(org)} but ${seqs.length} records`);
  }
  return { chained, unchained, problems };
}

/**
 * Which expired partitions retention may drop without breaking the chains, and what to seal.
 *
 * Partitions are by record timestamp but seqs are given in write order, so a late record (an old
 * timestamp written late) puts a high seq into an old partition. Dropping that partition would
 * punch a hole in the middle of its org's chain that no seal can describe. So retention drops a
 * consistent cut: for each org, every record with seq <= S is dropped and every record with
 * seq > S is kept; an expired partition that holds a record above its org's S is kept back
 * (until a later run, when the newer partitions expire too). Then each org's seal covers
 * (previous seal + 1)..S. Retention never drops earlier than asked, only sometimes later.
 */
export interface PartitionSeqRange {
  /** The partition (or day) the rows are in: the events and interactions partitions of one day go together. */
  readonly partition: string;
  readonly orgId: string;
  /** Lowest and highest seq of the org's chained rows in that partition. */
  readonly minSeq: number;
  readonly maxSeq: number;
}

export interface RetentionCutInput {
  /** Partitions older than the retention cutoff. */
  readonly expired: readonly string[];
  /** Seq ranges per partition and org, for every partition that holds chained rows (expired or not). */
  readonly ranges: readonly PartitionSeqRange[];
  /** Each org's chain head seq (orgs with rows only in expired partitions need it). */
  readonly heads: Readonly<Record<string, number>>;
  /** Each org's latest seal toSeq (absent: never sealed, 0). */
  readonly sealedUpTo?: Readonly<Record<string, number>>;
}

export interface RetentionCut {
  /** Expired partitions that can be dropped once the seals are written. */
  readonly drop: readonly string[];
  /** Expired partitions kept back because they hold a record above their org's cut. */
  readonly keptBack: readonly string[];
  /** Seal these (sealCheckpoint with the stored hashes of fromSeq..toSeq) before dropping. */
  readonly seals: readonly { readonly orgId: string; readonly fromSeq: number; readonly toSeq: number }[];
}

export function planRetentionCut(input: RetentionCutInput): RetentionCut {
  const dropping = new Set(input.expired);
  const orgs = new Set([...Object.keys(input.heads), ...input.ranges.map((r) => r.orgId)]);
  const cut = new Map<string, number>();
  for (;;) {
    for (const org of orgs) cut.set(org, input.heads[org] ?? 0);
    for (const r of input.ranges) if (!dropping.has(r.partition)) cut.set(r.orgId, Math.min(cut.get(r.orgId)!, r.minSeq - 1));
    let changed = false;
    for (const r of input.ranges) {
      if (dropping.has(r.partition) && r.maxSeq > cut.get(r.orgId)!) {
        dropping.delete(r.partition);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const seals: { orgId: string; fromSeq: number; toSeq: number }[] = [];
  for (const org of [...orgs].sort()) {
    const fromSeq = (input.sealedUpTo?.[org] ?? 0) + 1;
    const toSeq = cut.get(org)!;
    const dropsRows = input.ranges.some((r) => r.orgId === org && dropping.has(r.partition));
    if (dropsRows && toSeq >= fromSeq) seals.push({ orgId: org, fromSeq, toSeq });
  }
  return { drop: input.expired.filter((p) => dropping.has(p)), keptBack: input.expired.filter((p) => !dropping.has(p)), seals };
}

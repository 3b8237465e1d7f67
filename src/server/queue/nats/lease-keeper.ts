import type { KV, KvEntry } from 'nats';
import { errorMessage } from '../../../core/errors.js';
import { leaseKey, parseEntry, type LeaseValue } from './cluster-status.js';

interface Held {
  revision: number;
  /** When this node took the lease (ISO), kept in the value across renewals. */
  readonly since: string;
  /** Monotonic time just before the request that wrote `revision` was sent. */
  sentAt: number;
}

interface Seen {
  revision: number;
  /** Monotonic time at which this node first saw `revision`. */
  since: number;
}

export type ClaimOutcome = 'free' | 'takeover';

/** The fraction of the lease TTL after its last renewal until which an owner keeps pulling. */
const FENCE = 0.75;
const WRONG_SEQUENCE = /wrong last sequence/i;

const now = () => performance.now();

/**
 * Shard leases in a JetStream key-value bucket, without trusting any clock across machines:
 * - every write is revision-checked (create = only if absent, update = only if the revision is
 *   still the one read), so two nodes can never both win the same lease;
 * - a lease is dead when its revision has not changed for leaseTtlMs as measured by the claimant's
 *   own monotonic clock since it first saw that revision; then the claimant replaces it with a
 *   revision-checked update;
 * - the owner renews every leaseTtlMs / 3 and stops pulling new batches once leaseTtlMs * 0.75
 *   has passed since it sent its last successful renewal, i.e. before any claimant can take over.
 * The revision of the lease entry is the owner's fencing token.
 */
export class LeaseKeeper {
  readonly #kv: KV;
  readonly #owner: string;
  readonly #ttlMs: number;
  readonly #held = new Map<number, Held>();
  readonly #seen = new Map<number, Seen>();

  constructor(kv: KV, owner: string, ttlMs: number) {
    this.#kv = kv;
    this.#owner = owner;
    this.#ttlMs = ttlMs;
  }

  held(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  holds(shard: number): boolean {
    return this.#held.has(shard);
  }

  /** True while this node can be sure nobody else took the shard over. */
  valid(shard: number): boolean {
    const h = this.#held.get(shard);
    return h !== undefined && now() - h.sentAt < this.#ttlMs * FENCE;
  }

  revision(shard: number): number | undefined {
    return this.#held.get(shard)?.revision;
  }

  /** Renews every held lease; returns the shards lost to another node. */
  async renewAll(): Promise<number[]> {
    const lost: number[] = [];
    await Promise.all(
      [...this.#held].map(async ([shard, h]) => {
        const sentAt = now();
        try {
          h.revision = await this.#kv.update(leaseKey(shard), this.#value(h.since), h.revision);
          h.sentAt = sentAt;
        } catch (err) {
          // a revision mismatch is final (someone else holds it now); anything else (NATS down)
          // is retried at the next renewal while the fence runs out
          if (WRONG_SEQUENCE.test(errorMessage(err))) {
            this.#held.delete(shard);
            lost.push(shard);
          }
        }
      }),
    );
    return lost;
  }

  /**
   * Records what the bucket says about a shard this node does not hold; answers whether the lease
   * is claimable now (`free` when absent, `takeover` when silent for leaseTtlMs), and for how long
   * it has been so (ms).
   */
  observe(shard: number, entry: KvEntry | undefined): { claimable: ClaimOutcome | undefined; forMs: number } {
    const t = now();
    const value = parseEntry<LeaseValue>(entry);
    const revision = value ? entry!.revision : 0;
    const seen = this.#seen.get(shard);
    if (!seen || seen.revision !== revision) this.#seen.set(shard, { revision, since: t });
    const forMs = t - (this.#seen.get(shard)?.since ?? t);
    if (!value) return { claimable: 'free', forMs };
    return { claimable: forMs >= this.#ttlMs ? 'takeover' : undefined, forMs };
  }

  /** Tries to take the lease as last observed; true when this node holds it now. */
  async claim(shard: number, how: ClaimOutcome): Promise<boolean> {
    const sentAt = now();
    const key = leaseKey(shard);
    const since = new Date().toISOString();
    try {
      const revision = how === 'free' ? await this.#kv.create(key, this.#value(since)) : await this.#kv.update(key, this.#value(since), this.#seen.get(shard)!.revision);
      this.#held.set(shard, { revision, sentAt, since });
      this.#seen.delete(shard);
      return true;
    } catch {
      return false;
    }
  }

  /** Gives the lease up (revision-checked delete) so that another node may take it at once. */
  async release(shard: number): Promise<void> {
    const h = this.#held.get(shard);
    this.#held.delete(shard);
    if (!h) return;
    await this.#kv.delete(leaseKey(shard), { previousSeq: h.revision }).catch(() => undefined);
  }

  #value(since: string): string {
    const v: LeaseValue = { owner: this.#owner, since };
    return JSON.stringify(v);
  }
}

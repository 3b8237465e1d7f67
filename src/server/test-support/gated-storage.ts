import { MemoryStorage } from '../../core/memory-storage.js';
import type { AuditRecord } from '../../core/record.js';
import type { AppendResult } from '../../core/storage.js';

/**
 * A real MemoryStorage whose appends can be held at a gate, counted and made to fail: lets tests
 * fill the write queue, observe batching and concurrency, and inject a storage outage.
 */
export class GatedStorage extends MemoryStorage {
  readonly appends: (readonly AuditRecord[])[] = [];
  /** Highest number of concurrent appends seen for one org, and overall. */
  maxConcurrentPerOrg = 0;
  maxConcurrent = 0;
  failNext = 0;
  /** Appends begun (held at the gate or not). */
  started = 0;
  #onStart: (() => void)[] = [];
  #held: boolean;
  #waiters: (() => void)[] = [];
  #active = new Map<string, number>();
  #activeTotal = 0;

  constructor(open = true) {
    super();
    this.#held = !open;
  }

  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves once `n` appends have begun (e.g. a request has reached the storage). */
  async waitForAppends(n = 1): Promise<void> {
    while (this.started < n) await new Promise<void>((r) => this.#onStart.push(r));
  }

  override async append(records: readonly AuditRecord[]): Promise<AppendResult> {
    this.started++;
    for (const w of this.#onStart.splice(0)) w();
    const org = records[0]?.orgId ?? '';
    this.#active.set(org, (this.#active.get(org) ?? 0) + 1);
    this.#activeTotal++;
    this.maxConcurrentPerOrg = Math.max(this.maxConcurrentPerOrg, this.#active.get(org)!);
    this.maxConcurrent = Math.max(this.maxConcurrent, this.#activeTotal);
    try {
      if (this.#held) await new Promise<void>((r) => this.#waiters.push(r));
      else await new Promise<void>((r) => setImmediate(r));
      this.appends.push(records);
      if (this.failNext > 0) {
        this.failNext--;
        throw new Error('disk on fire');
      }
      return await super.append(records);
    } finally {
      this.#active.set(org, this.#active.get(org)! - 1);
      this.#activeTotal--;
    }
  }
}

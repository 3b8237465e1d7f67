import type { SqlDriver } from './sql-driver.js';

const DAY_MS = 86_400_000;

/** UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Keeps the daily partitions the writes need: the days ahead at start and on every maintenance
 * tick, and any other day a batch brings (a late or a far-future record) just before it is
 * written. Days known to exist are cached; a write that still meets a missing partition (dropped
 * by retention since) calls forget() and ensures again.
 */
export class PartitionKeeper {
  readonly #driver: SqlDriver;
  readonly #known = new Set<string>();

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  /** Creates the partitions of these days that do not exist yet; answers how many tables were created. */
  async ensure(days: readonly string[]): Promise<number> {
    const missing = days.filter((d) => !this.#known.has(d));
    if (missing.length === 0) return 0;
    const rows = await this.#driver.query<{ n: number }>('SELECT auditrail_ensure_partitions($1::date[]) AS n', [missing]);
    for (const d of missing) this.#known.add(d);
    return Number(rows[0]?.n ?? 0);
  }

  /** Yesterday (late records) through `aheadDays` days from now. */
  ensureAhead(nowMs: number, aheadDays: number): Promise<number> {
    const days: string[] = [];
    for (let k = -1; k <= aheadDays; k++) days.push(utcDay(nowMs + k * DAY_MS));
    return this.ensure(days);
  }

  forget(days?: readonly string[]): void {
    if (days === undefined) this.#known.clear();
    else for (const d of days) this.#known.delete(d);
  }
}

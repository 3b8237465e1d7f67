const NS_PER_MS = 1_000_000n;

/** Unix nanoseconds to whole milliseconds. */
export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

/** Unix nanoseconds to an ISO 8601 UTC time with milliseconds. */
export function nsToIso(ns: bigint): string {
  return new Date(nsToMs(ns)).toISOString();
}

/** Whole milliseconds between two nanosecond times (0 when end is before start). */
export function spanMs(startNs: bigint, endNs: bigint): number {
  return endNs > startNs ? Number((endNs - startNs + NS_PER_MS / 2n) / NS_PER_MS) : 0;
}

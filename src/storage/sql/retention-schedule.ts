/**
 * The next time of day `cleanupTime` ("HH:MM", the server's local time, as seed 002's
 * cleanup_time) strictly after `nowMs`.
 */
export function nextCleanupAt(nowMs: number, cleanupTime: string): number {
  const [h, m] = cleanupTime.split(':').map(Number) as [number, number];
  const now = new Date(nowMs);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), h, m, 0, 0).getTime();
  return today > nowMs ? today : new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, h, m, 0, 0).getTime();
}

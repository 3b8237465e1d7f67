import type { RetryPolicy } from './options.js';

/**
 * Wait before attempt `attempt + 1` (attempt counts from 0): exponential backoff with +-20%
 * jitter, so that many clients retrying after the same outage do not hit the sink in step.
 * A sink's `retryAfterMs` (e.g. from Retry-After) wins over the computed backoff.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return retryAfterMs;
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** attempt);
  return Math.max(0, Math.round(base * (0.8 + 0.4 * random())));
}

/**
 * A timer that keeps the process alive only when asked: the pipeline's own waits are unref'd,
 * but a wait that someone awaits (flush, shutdown, exit flush) must hold the process open, or
 * Node would exit in the middle of it and lose the batch.
 */
export function sleep(ms: number, keepAlive: boolean): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (!keepAlive) t.unref();
  });
}

import { AuditrailError, errorMessage } from '../../core/errors.js';

export interface RetryPolicy {
  /** First wait after a failure; doubles each time, up to maxDelayMs; each wait is drawn between half and all of it (jitter). */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Give up (STORAGE_UNAVAILABLE) when the next attempt would start after this long. */
  readonly timeoutMs: number;
}

export interface RetryHooks {
  /** Called before each wait, with the failure that caused it. */
  onRetry?(attempt: number, delayMs: number, err: unknown): void;
  /** Aborts the waiting (storage closing): the operation rejects with its last error. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `attempt` until it resolves, retrying while `shouldRetry(err)` says so, with exponential
 * backoff and jitter, within the policy's deadline. The last failure is rethrown as
 * STORAGE_UNAVAILABLE (retryable by the caller) when retries ran out, or as is when it was not
 * retryable.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: () => Promise<T>, shouldRetry: (err: unknown) => boolean, hooks: RetryHooks = {}): Promise<T> {
  const deadline = Date.now() + policy.timeoutMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!shouldRetry(err)) throw err;
      const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(n - 1, 30));
      const delayMs = Math.round(cap / 2 + (Math.random() * cap) / 2);
      if (hooks.signal?.aborted || Date.now() + delayMs > deadline) {
        throw new AuditrailError('STORAGE_UNAVAILABLE', `gave up after ${n} attempt(s): ${errorMessage(err)}`, { cause: err });
      }
      hooks.onRetry?.(n, delayMs, err);
      await sleep(delayMs, hooks.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

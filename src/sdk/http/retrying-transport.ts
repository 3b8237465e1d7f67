import type { HttpTransport, TransportRequest, TransportResult } from './http-transport.js';

export interface TransportRetryPolicy {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  /** Upper bound of the first wait. */
  readonly initialBackoffMs: number;
  /** Upper bound of any wait computed from the backoff. */
  readonly maxBackoffMs: number;
  readonly multiplier: number;
}

export interface RetryingTransportHooks {
  /** [0, 1), Math.random by default (tests pin it). */
  readonly random?: () => number;
  /** Called before each wait: the attempt that failed (from 0) and the wait chosen. */
  readonly onRetry?: (attempt: number, waitMs: number, result: TransportResult) => void;
}

/**
 * Retries a transport's retryable results (OpenTelemetry's RetryingTransport), as a decorator so
 * the transport stays one plain request. Exponential backoff with full jitter (each wait drawn
 * uniformly from [0, min(maxBackoffMs, initialBackoffMs * multiplier^attempt)]), so that many
 * clients cut off by the same outage do not come back in step; a server's Retry-After wins over
 * the computed wait. Everything happens within `timeoutMs` of the call: each attempt gets the
 * time that is left, and when the next wait would pass the deadline the last result is returned
 * as it is (retryable, with its retryAfterMs) for the caller to reschedule. Success and failure
 * are returned at once: only what is retryable is retried.
 */
export function createRetryingTransport(inner: HttpTransport, policy: TransportRetryPolicy, hooks: RetryingTransportHooks = {}): HttpTransport {
  const random = hooks.random ?? Math.random;
  return {
    async send(request: TransportRequest, timeoutMs: number): Promise<TransportResult> {
      const deadline = Date.now() + timeoutMs;
      let result = await inner.send(request, timeoutMs);
      for (let attempt = 0; result.code === 'retryable' && attempt < policy.maxRetries; attempt++) {
        const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** attempt);
        const waitMs = result.retryAfterMs ?? Math.round(random() * ceiling);
        const remainingMs = deadline - Date.now() - waitMs;
        if (remainingMs <= 0) return result;
        hooks.onRetry?.(attempt, waitMs, result);
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        result = await inner.send(request, remainingMs);
      }
      return result;
    },
  };
}

export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** When refused: whole seconds until a token is available (for Retry-After). */
  readonly retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string): RateLimitVerdict;
}

export interface RateLimiterOptions {
  readonly requestsPerSecond: number;
  readonly burst: number;
  /** Buckets kept at most; the least recently used are forgotten (a forgotten bucket is full). */
  readonly maxKeys?: number;
}

/** A token bucket per key: `burst` requests at once, refilled at requestsPerSecond. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { requestsPerSecond: rate, burst } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const now = Date.now();
      let b = buckets.get(key);
      if (b) {
        b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
        b.at = now;
        buckets.delete(key);
      } else {
        b = { tokens: burst, at: now };
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      }
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { allowed: true, retryAfterSeconds: 0 };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rate)) };
    },
  };
}

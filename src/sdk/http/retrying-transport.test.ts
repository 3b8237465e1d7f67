import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditrailError } from '../../core/index.js';
import type { HttpTransport, TransportResult } from './http-transport.js';
import { parseRetryAfter } from './retry-after.js';
import { createRetryingTransport } from './retrying-transport.js';

const policy = { maxRetries: 4, initialBackoffMs: 1_000, maxBackoffMs: 5_000, multiplier: 1.5 };
const request = { body: Buffer.from('[]') };
const retryable = (retryAfterMs?: number): TransportResult => ({ code: 'retryable', status: 503, error: new AuditrailError('QUEUE_FULL'), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const ok: TransportResult = { code: 'success', status: 200, body: '{}' };

function scripted(...results: TransportResult[]): HttpTransport & { timeouts: number[] } {
  const timeouts: number[] = [];
  return {
    timeouts,
    send(_req, timeoutMs) {
      timeouts.push(timeoutMs);
      return Promise.resolve(results.shift() ?? ok);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('retrying transport', () => {
  it('retries retryable results with exponential backoff and full jitter, until one succeeds', async () => {
    const inner = scripted(retryable(), retryable(), retryable(), retryable());
    const waits: number[] = [];
    const t = createRetryingTransport(inner, policy, { random: () => 0.5, onRetry: (_a, w) => waits.push(w) });
    const done = t.send(request, 60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await done).toEqual(ok);
    // ceilings 1000, 1500, 2250, 3375 (capped at 5000); full jitter draws from [0, ceiling]
    expect(waits).toEqual([500, 750, 1125, 1688]);
    expect(inner.timeouts).toHaveLength(5);
  });

  it('draws each wait anywhere from zero to the ceiling (full jitter)', async () => {
    for (const [random, expected] of [[0, 0], [0.999, 999]] as const) {
      const waits: number[] = [];
      const t = createRetryingTransport(scripted(retryable()), policy, { random: () => random, onRetry: (_a, w) => waits.push(w) });
      const done = t.send(request, 60_000);
      await vi.advanceTimersByTimeAsync(2_000);
      await done;
      expect(waits).toEqual([expected]);
    }
  });

  it("waits the server's Retry-After instead of the computed backoff", async () => {
    const waits: number[] = [];
    const t = createRetryingTransport(scripted(retryable(3_000)), policy, { random: () => 0, onRetry: (_a, w) => waits.push(w) });
    const done = t.send(request, 60_000);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(waits).toEqual([3_000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await done).toEqual(ok);
  });

  it('gives each attempt only the time left, and returns the retryable result when the next wait would pass the deadline', async () => {
    const inner = scripted(retryable(), retryable(9_000));
    const t = createRetryingTransport(inner, policy, { random: () => 1 });
    const done = t.send(request, 10_000);
    await vi.advanceTimersByTimeAsync(1_000);
    const r = await done;
    expect(r).toMatchObject({ code: 'retryable', retryAfterMs: 9_000 });
    expect(inner.timeouts).toEqual([10_000, 9_000]);
  });

  it('returns success and failure at once: only what is retryable is retried', async () => {
    const failure: TransportResult = { code: 'failure', status: 400, error: new AuditrailError('BODY_MALFORMED') };
    const inner = scripted(failure);
    expect(await createRetryingTransport(inner, policy).send(request, 60_000)).toBe(failure);
    expect(inner.timeouts).toHaveLength(1);
  });

  it('stops after maxRetries', async () => {
    const inner = scripted(retryable(), retryable(), retryable());
    const t = createRetryingTransport(inner, { ...policy, maxRetries: 2 }, { random: () => 0 });
    const done = t.send(request, 60_000);
    await vi.advanceTimersByTimeAsync(1);
    expect((await done).code).toBe('retryable');
    expect(inner.timeouts).toHaveLength(3);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

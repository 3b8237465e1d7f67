import { describe, expect, it } from 'vitest';
import { backoffMs } from './retry.js';

const policy = { initialBackoffMs: 100, maxBackoffMs: 1_000, multiplier: 2 };

describe('retry backoff', () => {
  it('grows exponentially from initialBackoffMs and stops at maxBackoffMs', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffMs(policy, a, undefined, mid))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('jitters each wait by at most 20% either way', () => {
    expect(backoffMs(policy, 1, undefined, () => 0)).toBe(160);
    expect(backoffMs(policy, 1, undefined, () => 0.999999)).toBe(240);
  });

  it("uses the sink's retryAfterMs when given", () => {
    expect(backoffMs(policy, 0, 5_000)).toBe(5_000);
    expect(backoffMs(policy, 0, 0)).toBe(0);
  });
});

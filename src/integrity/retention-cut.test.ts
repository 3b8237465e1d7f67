import { describe, expect, it } from 'vitest';
import { planRetentionCut } from './retention-cut.js';

describe('retention cut', () => {
  it('drops expired days and seals each org up to the last dropped seq', () => {
    const cut = planRetentionCut({
      expired: ['d1', 'd2'],
      ranges: [
        { partition: 'd1', orgId: 'a', minSeq: 1, maxSeq: 10 },
        { partition: 'd2', orgId: 'a', minSeq: 11, maxSeq: 20 },
        { partition: 'd3', orgId: 'a', minSeq: 21, maxSeq: 30 },
        { partition: 'd2', orgId: 'b', minSeq: 1, maxSeq: 5 },
      ],
      heads: { a: 30, b: 5 },
    });
    expect(cut).toEqual({ drop: ['d1', 'd2'], keptBack: [], seals: [{ orgId: 'a', fromSeq: 1, toSeq: 20 }, { orgId: 'b', fromSeq: 1, toSeq: 5 }] });
  });

  it('keeps back an expired day holding a late record, and the days it would cut through', () => {
    // A record stamped d1 arrived late and got seq 25, after d2 and part of d3 were written.
    const cut = planRetentionCut({
      expired: ['d1', 'd2'],
      ranges: [
        { partition: 'd1', orgId: 'a', minSeq: 1, maxSeq: 25 },
        { partition: 'd2', orgId: 'a', minSeq: 11, maxSeq: 20 },
        { partition: 'd3', orgId: 'a', minSeq: 21, maxSeq: 30 },
      ],
      heads: { a: 30 },
    });
    // d1 cannot go (25 is above a's cut 20); keeping it puts seq 1 in the kept set, so d2 stays too.
    expect(cut).toEqual({ drop: [], keptBack: ['d1', 'd2'], seals: [] });
  });

  it('continues from the previous seal and seals nothing for an org without dropped rows', () => {
    const cut = planRetentionCut({
      expired: ['d2'],
      ranges: [
        { partition: 'd2', orgId: 'a', minSeq: 11, maxSeq: 20 },
        { partition: 'd3', orgId: 'a', minSeq: 21, maxSeq: 30 },
        { partition: 'd3', orgId: 'b', minSeq: 1, maxSeq: 9 },
      ],
      heads: { a: 30, b: 9 },
      sealedUpTo: { a: 10 },
    });
    expect(cut.seals).toEqual([{ orgId: 'a', fromSeq: 11, toSeq: 20 }]);
    expect(cut.drop).toEqual(['d2']);
  });
});

import { describe, expect, it } from 'vitest';
import { nextCleanupAt } from './retention-schedule.js';

const local = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();

describe('retention schedule', () => {
  it('runs later the same day when cleanup_time is still ahead', () => {
    expect(nextCleanupAt(local(2026, 3, 1, 1, 30), '03:00')).toBe(local(2026, 3, 1, 3, 0));
  });

  it('runs the next day when cleanup_time has passed, or is now', () => {
    expect(nextCleanupAt(local(2026, 3, 1, 3, 0), '03:00')).toBe(local(2026, 3, 2, 3, 0));
    expect(nextCleanupAt(local(2026, 3, 1, 23, 59, 59), '00:00')).toBe(local(2026, 3, 2, 0, 0));
  });

  it('crosses month and year ends', () => {
    expect(nextCleanupAt(local(2026, 12, 31, 22, 0), '21:15')).toBe(local(2027, 1, 1, 21, 15));
  });
});

// The chart buckets' plan: at most the asked number, more than half of it, whole cells each.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bucketOf, planBuckets } from '../../src/services/bucket-plan.js';

describe('bucket plan', () => {
  test('at most `buckets` buckets, more than half as many when cells, buckets in step order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (lo, length, buckets) => {
          const hi = lo + length;
          const plan = planBuckets(lo, hi, buckets);
          const last = bucketOf(plan, hi);
          expect(bucketOf(plan, lo)).toBe(0);
          expect(last).toBeLessThan(buckets);
          if (plan.kind === 'cells') {
            expect(last + 1).toBeGreaterThan(buckets / 2);
            // A bucket is whole cells: the steps of one cell share its bucket.
            const cellStart = Math.floor(hi / plan.width) * plan.width;
            expect(bucketOf(plan, Math.max(lo, cellStart))).toBe(last);
          } else expect(length + 1).toBeLessThan(8 * buckets);
          const mid = lo + Math.floor(length / 2);
          expect(bucketOf(plan, mid)).toBeGreaterThanOrEqual(0);
          expect(bucketOf(plan, mid)).toBeLessThanOrEqual(last);
        },
      ),
    );
  });

  test('100,000 steps into 600 buckets: cells of 64, three a bucket', () => {
    expect(planBuckets(0, 99_999, 600)).toEqual({
      kind: 'cells',
      width: 64,
      firstCell: 0,
      perBucket: 3,
    });
    expect(planBuckets(10, 99, 600)).toMatchObject({ kind: 'points' });
  });
});

import { describe, expect, it } from 'vitest';
import { outlierFloor, outlierPairs } from './pair-filter.js';
import { median, quantile } from './stats.js';
import { Rng } from '@curio/random';

describe('the pair filter by evidence', () => {
  it('computes medians and quantiles with interpolation', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  /** Bell-shaped values around m with spread s (a sum of three uniforms). */
  const bell = (rng: Rng, m: number, s: number) =>
    m + 2 * s * (rng.next() + rng.next() + rng.next() - 1.5);

  it('keeps a clean round whole', () => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed);
      const clean = Array.from({ length: 1500 }, () => bell(rng, 0.35, 0.08));
      expect(outlierPairs(clean, 2)).toEqual([]);
    }
  });

  it('drops a separate low mode (swapped captions) even when it is a third of the round', () => {
    const rng = new Rng(2);
    const aligned = Array.from({ length: 1000 }, () => bell(rng, 0.35, 0.08));
    const swapped = Array.from({ length: 450 }, () => bell(rng, 0.05, 0.1));
    const dropped = outlierPairs([...aligned, ...swapped], 2);
    const swappedDropped = dropped.filter((i) => i >= 1000).length;
    expect(swappedDropped).toBeGreaterThan(0.85 * 450);
    expect(dropped.length - swappedDropped).toBeLessThan(0.05 * 1000);
  });

  it('keeps a round whose modes overlap, or which has no spread', () => {
    const rng = new Rng(3);
    const early = [
      ...Array.from({ length: 1000 }, () => bell(rng, 0.15, 0.07)),
      ...Array.from({ length: 450 }, () => bell(rng, 0.08, 0.07)),
    ];
    expect(outlierPairs(early, 2)).toEqual([]);
    expect(outlierFloor(new Array(20).fill(0.5), 2)).toBe(Number.NEGATIVE_INFINITY);
  });
});

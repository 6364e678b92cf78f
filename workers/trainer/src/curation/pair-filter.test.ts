import { describe, expect, it } from 'vitest';
import { median, outlierFloor, outlierPairs, quantile } from './pair-filter.js';
import { Rng } from '@curio/random';

describe('the pair filter by evidence', () => {
  it('computes medians and quantiles with interpolation', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('keeps a clean round whole', () => {
    const rng = new Rng(1);
    const clean = Array.from({ length: 500 }, () => 0.4 + 0.1 * rng.next());
    expect(outlierPairs(clean, 3)).toEqual([]);
  });

  it('drops swapped captions that sit far below the aligned pairs', () => {
    const rng = new Rng(2);
    const aligned = Array.from({ length: 400 }, () => 0.45 + 0.1 * rng.next());
    const swapped = Array.from({ length: 80 }, () => 0.05 * rng.next());
    const dropped = outlierPairs([...aligned, ...swapped], 3);
    expect(dropped).toEqual(Array.from({ length: 80 }, (_, i) => 400 + i));
  });

  it('has no floor when the round has no spread', () => {
    expect(outlierFloor([0.5, 0.5, 0.5], 3)).toBe(Number.NEGATIVE_INFINITY);
    expect(outlierPairs([0.5, 0.5, 0.5], 3)).toEqual([]);
  });
});

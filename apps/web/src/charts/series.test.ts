import { describe, expect, it } from 'vitest';
import { mergePoints, smooth, thin, toXY, type SeriesPoint } from './series.js';

const pts = (values: number[]): SeriesPoint[] =>
  values.map((value, i) => ({ step: i, value, at: 1_000_000 + i * 2000 }));

describe('series', () => {
  it('puts a series on the step, time and cost axes', () => {
    const clock = { startMs: 1_000_000, costPerSecond: 0.5 };
    const p = pts([3, 2, 1]);
    expect(toXY(p, 'step', clock)).toEqual({ xs: [0, 1, 2], ys: [3, 2, 1] });
    expect(toXY(p, 'time', clock).xs).toEqual([0, 2, 4]);
    expect(toXY(p, 'cost', clock).xs).toEqual([0, 1, 2]);
  });

  it('smooths with a debiased moving average and leaves weight 0 raw', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const s = smooth([2, 4], 0.5);
    expect(s[0]).toBeCloseTo(2); // debiased: the first value is itself
    expect(s[1]).toBeCloseTo((0.5 * 0.5 * 2 + 0.5 * 4) / (1 - 0.5 ** 2));
  });

  it('merges live points after the history and replaces a repeated step', () => {
    const merged = mergePoints(pts([1, 2]), [
      { step: 1, value: 9, at: 0 },
      { step: 2, value: 5, at: 0 },
    ]);
    expect(merged.map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 9],
      [2, 5],
    ]);
  });

  it('thins 100k points to at most the budget and keeps each bucket’s extremes', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 100));
    values[54_321] = 50; // a spike
    values[70_000] = -50; // a dip
    const out = thin(pts(values), 2000);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out[0]!.step).toBe(0);
    expect(out.at(-1)!.step).toBe(99_999);
    expect(out.map((p) => p.value)).toContain(50);
    expect(out.map((p) => p.value)).toContain(-50);
    const steps = out.map((p) => p.step);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});

import { describe, expect, it } from 'vitest';
import { lrAt } from './schedule.js';

describe('lrAt', () => {
  const s = { baseLr: 1e-3, warmupSteps: 10, totalSteps: 110 };
  it('warms up linearly', () => {
    expect(lrAt(0, s)).toBeCloseTo(1e-4, 12);
    expect(lrAt(4, s)).toBeCloseTo(5e-4, 12);
    expect(lrAt(9, s)).toBeCloseTo(1e-3, 12);
  });
  it('then decays by a cosine to minLr', () => {
    expect(lrAt(10, s)).toBeCloseTo(1e-3, 12);
    expect(lrAt(60, s)).toBeCloseTo(5e-4, 12);
    expect(lrAt(110, s)).toBeCloseTo(0, 12);
    expect(lrAt(500, { ...s, minLr: 1e-5 })).toBeCloseTo(1e-5, 12);
    expect(lrAt(60, { ...s, minLr: 1e-4 })).toBeCloseTo(5.5e-4, 12);
  });
  it('handles no warmup and no decay span', () => {
    expect(lrAt(0, { baseLr: 1, warmupSteps: 0, totalSteps: 10 })).toBe(1);
    expect(lrAt(3, { baseLr: 1, warmupSteps: 5, totalSteps: 5 })).toBeCloseTo(0.8, 12);
    expect(lrAt(7, { baseLr: 1, warmupSteps: 5, totalSteps: 5 })).toBe(1);
  });
});

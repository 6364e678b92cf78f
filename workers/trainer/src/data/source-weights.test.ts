import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  adaptiveWeights,
  improvements,
  chanceLoss,
  learnedSources,
  proportionalWeights,
  smoothedImprovements,
  weightFloor,
} from './source-weights.js';

const sum = (w: readonly number[]) => w.reduce((a, b) => a + b, 0);

describe('source weights', () => {
  it('proportional: ∝ size', () => {
    expect(proportionalWeights([100, 300, 600])).toEqual([0.1, 0.3, 0.6]);
    expect(() => proportionalWeights([0, 0])).toThrow(/every source is empty/);
  });

  it('Δ is the relative fall of the held-out loss', () => {
    const d = improvements([4, 2, 3], [3, 2, 3.3]);
    [0.25, 0, -0.1].forEach((x, k) => expect(d[k]).toBeCloseTo(x, 12));
    expect(() => improvements([4], [Number.NaN])).toThrow(/source 0/);
    expect(() => improvements([4, 3], [3])).toThrow(/2 losses before, 1 now/);
  });

  it('a loss counts only below chance: a fall towards ln N is not improvement', () => {
    const chance = chanceLoss(128); // ln 128 ≈ 4.85
    // noise: 6 → 5 (above chance: Δ 0); clean: 4 → 3; a source crossing chance: 5.5 → 4.
    const d = improvements([6, 4, 5.5], [5, 3, 4], chance);
    expect(d[0]).toBe(0);
    expect(d[1]).toBeCloseTo(0.25, 12);
    expect(d[2]).toBeCloseTo((chance - 4) / chance, 12);
    expect(improvements([6], [5])[0]).toBeCloseTo(1 / 6, 12); // uncapped by default
    expect(() => improvements([1], [1], 0)).toThrow(/chance loss must be > 0/);
  });

  it('Δ̄ is the running mean of the updates, the first its own Δ', () => {
    expect(smoothedImprovements(undefined, [0.1, -0.2], 0.3)).toEqual([0.1, -0.2]);
    const d = smoothedImprovements([0.1, -0.2], [0.2, 0.4], 0.3);
    [0.3 * 0.2 + 0.7 * 0.1, 0.3 * 0.4 + 0.7 * -0.2].forEach((x, k) =>
      expect(d[k]).toBeCloseTo(x, 12),
    );
    expect(smoothedImprovements([0.1], [0.5], 1)).toEqual([0.5]);
    expect(() => smoothedImprovements([0.1], [0.1, 0.2], 0.3)).toThrow(/1 running means, 2 Δ/);
    expect(() => smoothedImprovements(undefined, [0.1], 0)).toThrow(/smoothing must be in/);
  });

  it('one noisy update does not hand a source that was not learning the batches', () => {
    const rule = { eta: 100, floor: 0.15 };
    // Clean sources improving then levelling off; the noise source's loss rising, then one blip.
    const updates = [
      [0.05, 0.04, -0.03],
      [0.03, 0.02, -0.02],
      [0.0, -0.01, 0.03],
    ];
    let trend: number[] | undefined;
    for (const deltas of updates) trend = smoothedImprovements(trend, deltas, 0.3);
    const smoothed = adaptiveWeights(trend!, rule);
    const unsmoothed = adaptiveWeights(updates.at(-1)!, rule);
    expect(unsmoothed[2]).toBeGreaterThan(0.5); // the last update alone: noise takes most batches
    expect(smoothed[2]).toBeLessThan(0.07); // the running mean: near its floor ε/K = 0.05
  });

  it('a source whose loss stops improving loses weight to those still improving', () => {
    const rule = { eta: 20, floor: 0.15 };
    // Three sources improving alike; then the third's loss stops falling.
    const losses = [
      [4.0, 4.0, 4.0],
      [3.6, 3.6, 3.6],
      [3.2, 3.3, 3.6],
      [2.9, 3.1, 3.6],
    ];
    const w = losses.slice(1).map((now, u) => adaptiveWeights(improvements(losses[u]!, now), rule));
    w[0]!.forEach((x) => expect(x).toBeCloseTo(1 / 3, 12));
    for (const later of w.slice(1)) {
      expect(later[2]!).toBeLessThan(1 / 3 / 2);
      expect(later[2]!).toBeLessThan(Math.min(later[0]!, later[1]!));
    }
    // By hand for the last update: Δ = (0.3/3.2, 0.3/3.4, 0) → softmax(20·Δ).
    const d = [0.3 / 3.2, 0.3 / 3.4, 0];
    const e = d.map((x) => Math.exp(20 * x));
    const z = sum(e);
    adaptiveWeights(d, rule).forEach((w, k) =>
      expect(w).toBeCloseTo(0.85 * (e[k]! / z) + 0.05, 12),
    );
  });

  it('the floor holds and the weights sum to 1, whatever the improvements', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (deltas, eta, floor, mask) => {
          const counted = deltas.map((_, k) => mask[k]!);
          counted[0] = true;
          const w = adaptiveWeights(deltas, { eta, floor }, counted);
          expect(sum(w)).toBeCloseTo(1, 9);
          const least = weightFloor({ eta, floor }, deltas.length);
          for (const x of w) expect(x).toBeGreaterThanOrEqual(least - 1e-12);
        },
      ),
    );
  });

  it('a source that never improves among ones that do is driven to the floor', () => {
    const w = adaptiveWeights([0.2, 0.15, 0], { eta: 100, floor: 0.3 });
    expect(w[2]).toBeCloseTo(0.1, 6);
    expect(adaptiveWeights([0, 0, 0], { eta: 20, floor: 0.3 })).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('a source at chance keeps the floor, even when the learned ones plateau below Δ̄ = 0', () => {
    const chance = chanceLoss(128);
    // clean sources learned (3.1, 3.6 < ln 128), now slightly worse; noise at chance, Δ̄ = 0.
    const learned = learnedSources([3.1, 3.6, chance + 0.4], chance, 0.01);
    expect(learned).toEqual([true, true, false]);
    const rule = { eta: 100, floor: 0.15 };
    expect(adaptiveWeights([-0.004, -0.002, 0], rule)[2]).toBeGreaterThan(0.33); // ungated
    const w = adaptiveWeights([-0.004, -0.002, 0], rule, learned);
    expect(w[2]).toBeCloseTo(weightFloor(rule, 3), 12);
    expect(sum(w)).toBeCloseTo(1, 12);
    // within the margin of chance is not learned; before anything is learned, every source counts
    expect(learnedSources([chance * 0.995, 2], chance, 0.01)).toEqual([false, true]);
    expect(learnedSources([chance, chance + 1], chance, 0.01)).toEqual([true, true]);
    expect(() => learnedSources([1], chance, 1)).toThrow(/chance margin must be in/);
    expect(() => adaptiveWeights([0.1, 0], rule, [false, false])).toThrow(/one counted/);
  });

  it('rejects a rule out of range', () => {
    expect(() => adaptiveWeights([0.1], { eta: -1, floor: 0.1 })).toThrow(/eta must be ≥ 0/);
    expect(() => adaptiveWeights([0.1], { eta: 1, floor: 0 })).toThrow(/floor must be in/);
    expect(() => adaptiveWeights([], { eta: 1, floor: 0.1 })).toThrow(/no sources/);
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from '@curio/random';
import { chooseSource, SourceSchedule } from './source-sampling.js';

describe('source sampling', () => {
  it('chooseSource picks sources in proportion to their size', () => {
    const rng = new Rng(42);
    const sizes = [1000, 3000, 0, 6000];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[chooseSource(sizes, rng)]! += 1;
    expect(counts[2]).toBe(0);
    [0.1, 0.3, 0, 0.6].forEach((p, i) =>
      expect(Math.abs(counts[i]! / 20000 - p)).toBeLessThan(0.015),
    );
  });

  it('debiased: every batch from one source, batches ∝ size', () => {
    const schedule = new SourceSchedule({ mode: 'debiased', sizes: [200, 600], seed: 1 });
    let fromSecond = 0;
    for (let i = 0; i < 2000; i++) {
      const plan = schedule.next(8);
      expect(new Set(plan).size).toBe(1);
      if (plan[0] === 1) fromSecond++;
    }
    expect(Math.abs(fromSecond / 2000 - 0.75)).toBeLessThan(0.03);
  });

  it('debiased with weights: batches ∝ the weights, not the sizes', () => {
    const schedule = new SourceSchedule({
      mode: 'debiased',
      sizes: [900, 100],
      weights: [0.2, 0.8],
      seed: 4,
    });
    const fromSecond = Array.from({ length: 2000 }, () => schedule.next(4)[0]).filter(
      (s) => s === 1,
    ).length;
    expect(Math.abs(fromSecond / 2000 - 0.8)).toBeLessThan(0.03);
    expect(
      () => new SourceSchedule({ mode: 'debiased', sizes: [1, 1], weights: [1], seed: 0 }),
    ).toThrow(/1 weights for 2 sources/);
    expect(
      () => new SourceSchedule({ mode: 'mixed', sizes: [1, 1], weights: [0, -1], seed: 0 }),
    ).toThrow(/weights must be ≥ 0/);
  });

  it('mixed: sources mix within a batch, ∝ size', () => {
    const schedule = new SourceSchedule({ mode: 'mixed', sizes: [1, 1], seed: 2 });
    const plan = schedule.next(1000);
    expect(new Set(plan).size).toBe(2);
    expect(Math.abs(plan.filter((s) => s === 1).length / 1000 - 0.5)).toBeLessThan(0.05);
  });

  it('sequential: each source in turn for ceil(size / batch) batches, then around again', () => {
    const schedule = new SourceSchedule({ mode: 'sequential', sizes: [10, 0, 3], seed: 0 });
    const firsts = Array.from({ length: 6 }, () => schedule.next(4)[0]);
    expect(firsts).toEqual([0, 0, 0, 2, 0, 0]);
  });

  it('resumes from its state and rejects bad input', () => {
    const a = new SourceSchedule({ mode: 'debiased', sizes: [3, 5, 7], seed: 9 });
    for (let i = 0; i < 5; i++) a.next(4);
    const b = new SourceSchedule({
      mode: 'debiased',
      sizes: [3, 5, 7],
      seed: 123,
      state: a.state(),
    });
    expect(Array.from({ length: 10 }, () => b.next(4)[0])).toEqual(
      Array.from({ length: 10 }, () => a.next(4)[0]),
    );
    expect(() => new SourceSchedule({ mode: 'debiased', sizes: [0, 0], seed: 0 })).toThrow(
      /every source is empty/,
    );
    expect(() => new SourceSchedule({ mode: 'random' as 'mixed', sizes: [1], seed: 0 })).toThrow(
      /unknown sampling mode "random"/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('repeats a sequence from the same seed and differs across seeds', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 8 },
        (
          (r) => () =>
            r.nextUint32()
        )(new Rng(seed)),
      );
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('continues exactly from a saved state', () => {
    const a = new Rng(42);
    for (let i = 0; i < 5; i++) a.next();
    const b = new Rng(a.state());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(
      Array.from({ length: 5 }, () => a.next()),
    );
  });

  it('keeps draws in range: next in [0, 1), int below n, a shuffle is a permutation', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      expect(r.int(5)).toBeLessThan(5);
    }
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('derives independent streams from labels', () => {
    expect(Rng.derive(3, 'a').next()).not.toBe(Rng.derive(3, 'b').next());
    expect(Rng.derive(3, 'a').next()).toBe(Rng.derive(3, 'a').next());
  });
});

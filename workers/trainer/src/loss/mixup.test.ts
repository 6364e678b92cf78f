import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@curio/random';
import { clipHeadGrads, clipHeadLoss } from './clip-head.js';
import { drawMixup, mixupTargets, mixWithReversed } from './mixup.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rows = (t: tf.Tensor) => t.arraySync() as number[][];

describe('mixupTargets', () => {
  it('puts λ on i and 1−λ on the mirror partner', () => {
    const y = rows(mixupTargets(4, 0.7));
    const e = [
      [0.7, 0, 0, 0.3],
      [0, 0.7, 0.3, 0],
      [0, 0.3, 0.7, 0],
      [0.3, 0, 0, 0.7],
    ];
    y.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(e[i]![j]!, 6)));
  });

  it('gives the middle sample of an odd batch all of its own target', () => {
    const y = rows(mixupTargets(5, 0.8));
    expect(y[2]![2]).toBeCloseTo(1, 6);
    expect(y[0]![0]).toBeCloseTo(0.8, 6);
    expect(y[0]![4]).toBeCloseTo(0.2, 6);
    for (let i = 0; i < 5; i++) {
      expect(y[i]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6); // rows
      expect(y.reduce((a, r) => a + r[i]!, 0)).toBeCloseTo(1, 6); // columns
    }
  });

  it('is the identity for λ = 1 and a single sample', () => {
    expect(rows(mixupTargets(3, 1))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(rows(mixupTargets(1, 0.3))[0]![0]).toBeCloseTo(1, 6);
  });
});

describe('mixWithReversed', () => {
  it('mixes each row with its mirror along the batch axis', () => {
    const x = tf.tensor2d([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const m = rows(mixWithReversed(x, 0.75));
    expect(m[0]![0]).toBeCloseTo(0.75 * 1 + 0.25 * 3, 6);
    expect(m[1]![1]).toBeCloseTo(20, 5);
    expect(m[2]![1]).toBeCloseTo(0.75 * 30 + 0.25 * 10, 5);
  });

  it('mixes images in pixel space (rank 4)', () => {
    const x = tf.stack([tf.zeros([2, 2, 3]), tf.ones([2, 2, 3])]) as tf.Tensor4D;
    const m = mixWithReversed(x, 0.9);
    expect(m.shape).toEqual([2, 2, 2, 3]);
    expect(m.dataSync()[0]).toBeCloseTo(0.1, 6);
    expect(m.dataSync()[12]).toBeCloseTo(0.9, 6);
  });
});

describe('drawMixup', () => {
  it('is deterministic per seed, λ ∈ [0, 1] and U-shaped, both sides drawn', () => {
    expect(drawMixup(new Rng(7))).toEqual(drawMixup(new Rng(7)));
    const rng = new Rng(1);
    const draws = Array.from({ length: 400 }, () => drawMixup(rng, 0.1));
    expect(draws.every((d) => d.lambda >= 0 && d.lambda <= 1)).toBe(true);
    const extreme = draws.filter((d) => d.lambda < 0.1 || d.lambda > 0.9).length;
    expect(extreme / draws.length).toBeGreaterThan(0.6); // Beta(0.1, 0.1) piles up at the ends
    const images = draws.filter((d) => d.side === 'image').length;
    expect(images).toBeGreaterThan(150);
    expect(images).toBeLessThan(250);
  });
});

describe('clipHeadGrads', () => {
  it.each([
    ['no mixup', undefined],
    ['text mixup', { lambda: 0.3, side: 'text' as const }],
    ['image mixup (targets only here)', { lambda: 0.6, side: 'image' as const }],
  ])('equals autograd of clipHeadLoss through normalisation (%s)', (_, mixup) => {
    const eI = tf.randomNormal([5, 4], 0, 2, 'float32', 5) as tf.Tensor2D;
    const eT = tf.randomNormal([5, 4], 0, 2, 'float32', 6) as tf.Tensor2D;
    const s = tf.scalar(4);
    for (const direction of ['symmetric', 'image-to-text'] as const) {
      const opts = { direction, ...(mixup ? { mixup } : {}) };
      const closed = clipHeadGrads(eI, eT, s, opts);
      const auto = tf.grads((a, b, c) =>
        clipHeadLoss(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Scalar, opts),
      )([eI, eT, s]);
      expect(closed.loss.dataSync()[0]).toBeCloseTo(
        clipHeadLoss(eI, eT, s, opts).dataSync()[0]!,
        5,
      );
      const diff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
      expect(diff(closed.dImageEmb, auto[0]!)).toBeLessThan(1e-5);
      expect(diff(closed.dTextEmb, auto[1]!)).toBeLessThan(1e-5);
      expect(diff(closed.dScale, auto[2]!)).toBeLessThan(1e-5);
    }
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  contrastiveLoss,
  contrastiveLossAndGrads,
  type ContrastiveOptions,
} from './contrastive.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const value = (t: tf.Tensor) => t.dataSync()[0]!;

describe('contrastiveLoss', () => {
  it('matches hand-computed values on a 2×2 case', () => {
    // I = e1, e2; T = (0.6, 0.8), e2; scale 1 → logits [[0.6, 0], [0.8, 1]]
    const I = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const T = tf.tensor2d([
      [0.6, 0.8],
      [0, 1],
    ]);
    const lse = (a: number, b: number) => Math.log(Math.exp(a) + Math.exp(b));
    const i2t = (lse(0.6, 0) - 0.6 + (lse(0.8, 1) - 1)) / 2;
    const t2i = (lse(0.6, 0.8) - 0.6 + (lse(0, 1) - 1)) / 2;
    expect(value(contrastiveLoss(I, T, 1, { direction: 'image-to-text' }))).toBeCloseTo(i2t, 6);
    expect(value(contrastiveLoss(I, T, 1))).toBeCloseTo((i2t + t2i) / 2, 6);
    expect(i2t).toBeCloseTo(0.5178134099337388, 12);
    expect((i2t + t2i) / 2).toBeCloseTo(0.5367568441918231, 12);
  });

  it('matches hand-computed values on a 3-pair, 2-d case with a scale and soft targets', () => {
    const I = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0.28, 0.96],
    ]);
    const T = tf.tensor2d([
      [0.8, 0.6],
      [0, 1],
      [1, 0],
    ]);
    const scale = tf.scalar(2);
    expect(value(contrastiveLoss(I, T, scale))).toBeCloseTo(1.1594041181129866, 5);
    expect(value(contrastiveLoss(I, T, scale, { direction: 'image-to-text' }))).toBeCloseTo(
      1.1652703598337995,
      5,
    );
    const Y = tf.tensor2d([
      [0.7, 0, 0.3],
      [0, 1, 0],
      [0.3, 0, 0.7],
    ]);
    expect(value(contrastiveLoss(I, T, scale, { targets: Y }))).toBeCloseTo(1.0154041181129867, 5);
    expect(
      value(contrastiveLoss(I, T, scale, { targets: Y, direction: 'image-to-text' })),
    ).toBeCloseTo(1.0212703598337995, 5);
  });

  it('is ln 2 for two orthogonal pairs at scale 0 (uniform logits)', () => {
    const I = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    expect(value(contrastiveLoss(I, I, 0))).toBeCloseTo(Math.LN2, 6);
  });

  it('rejects targets of the wrong shape', () => {
    const I = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    expect(() => contrastiveLoss(I, I, 1, { targets: tf.eye(3) as tf.Tensor2D })).toThrow(
      /targets must be/,
    );
  });
});

describe('contrastiveLossAndGrads', () => {
  const cases: [string, ContrastiveOptions][] = [
    ['symmetric', {}],
    ['image-to-text', { direction: 'image-to-text' }],
    [
      'symmetric, soft targets',
      {
        targets: tf.tensor2d([
          [0.6, 0, 0, 0.4],
          [0, 0.6, 0.4, 0],
          [0, 0.4, 0.6, 0],
          [0.4, 0, 0, 0.6],
        ]),
      },
    ],
    [
      'image-to-text, soft targets',
      {
        direction: 'image-to-text',
        targets: tf.tensor2d([
          [0.6, 0, 0, 0.4],
          [0, 0.6, 0.4, 0],
          [0, 0.4, 0.6, 0],
          [0.4, 0, 0, 0.6],
        ]),
      },
    ],
  ];
  it.each(cases)('equals autograd (%s)', (_, options) => {
    const I = tf.randomNormal([4, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const T = tf.randomNormal([4, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const s = tf.scalar(3.5);
    const closed = contrastiveLossAndGrads(I, T, s, options);
    const auto = tf.grads((i, t, sc) =>
      contrastiveLoss(i as tf.Tensor2D, t as tf.Tensor2D, sc as tf.Scalar, options),
    )([I, T, s]);
    expect(value(closed.loss)).toBeCloseTo(value(contrastiveLoss(I, T, s, options)), 5);
    const close = (a: tf.Tensor, b: tf.Tensor) =>
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    close(closed.dImages, auto[0]!);
    close(closed.dTexts, auto[1]!);
    close(closed.dScale, auto[2]!);
  });

  it('is the METHODS.md §2 formula (P + Qᵀ − 2Y)·T/(2Nτ) for hard targets', () => {
    const I = tf.randomNormal([3, 2], 0, 1, 'float32', 3) as tf.Tensor2D;
    const T = tf.randomNormal([3, 2], 0, 1, 'float32', 4) as tf.Tensor2D;
    const s = 2;
    const logits = tf.mul(tf.matMul(I, T, false, true), s) as tf.Tensor2D;
    const P = tf.softmax(logits);
    const Q = tf.softmax(tf.transpose(logits));
    const G = tf.div(tf.sub(tf.add(P, tf.transpose(Q)), tf.mul(tf.eye(3), 2)), (2 * 3) / s);
    const { dImages, dTexts } = contrastiveLossAndGrads(I, T, s);
    expect(tf.max(tf.abs(tf.sub(dImages, tf.matMul(G, T)))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(dTexts, tf.matMul(G, I, true)))).dataSync()[0]).toBeLessThan(1e-6);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionResidual, mlpResidual, type AttentionParams, type MlpParams } from './blocks.js';
import { embeddingLookup } from './embedding.js';
import { layerNorm } from './layers.js';
import { linear, setMatmulPlan, type MatmulPlan } from './matmul.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => setMatmulPlan(null));

// Textbook references, differentiated by tfjs autograd.
const ln = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
  const mean = tf.mean(x, -1, true);
  const v = tf.mean(tf.square(tf.sub(x, mean)), -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(v, 1e-5))), g), b);
};
const lin = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
  tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);

function refAttention(
  x: tf.Tensor,
  [g, b, wqkv, bqkv, wo, bo]: tf.Tensor[],
  B: number,
  L: number,
  H: number,
  mask: number[][] | null,
) {
  const W = x.shape[1]!;
  const dh = W / H;
  const qkv = lin(ln(x, g!, b!), wqkv!, bqkv!);
  const heads = (i: number) =>
    tf.transpose(tf.reshape(tf.slice(qkv, [0, i * W], [B * L, W]), [B, L, H, dh]), [0, 2, 1, 3]);
  let s = tf.div(
    tf.matMul(heads(0) as tf.Tensor4D, heads(1) as tf.Tensor4D, false, true),
    Math.sqrt(dh),
  );
  if (mask) s = tf.add(s, tf.reshape(tf.mul(tf.sub(1, tf.tensor2d(mask)), -1e9), [B, 1, 1, L]));
  const o = tf.matMul(tf.softmax(s) as tf.Tensor4D, heads(2) as tf.Tensor4D);
  return tf.add(x, lin(tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B * L, W]), wo!, bo!));
}

function refMlp(x: tf.Tensor, [g, b, w1, b1, w2, b2]: tf.Tensor[]) {
  const h = lin(ln(x, g!, b!), w1!, b1!);
  return tf.add(x, lin(tf.mul(h, tf.sigmoid(tf.mul(h, 1.702))), w2!, b2!));
}

const rand = (shape: number[], seed: number, std = 0.3) =>
  tf.randomNormal(shape, 0, std, 'float32', seed);
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

describe.each(['flags', 'explicit'] as MatmulPlan[])('fused ops, %s transposes', (plan) => {
  beforeAll(() => setMatmulPlan(plan));
  const B = 3;
  const L = 5;
  const W = 8;
  const H = 2;
  const x = rand([B * L, W], 1, 1) as tf.Tensor2D;
  const upstream = rand([B * L, W], 2, 1);

  it.each([
    ['without a key mask', null],
    [
      'with a key mask',
      [
        [1, 1, 1, 0, 0],
        [1, 1, 1, 1, 1],
        [1, 0, 0, 0, 0],
      ],
    ],
  ])('attention matches autograd of the textbook formula (%s)', (_, mask) => {
    const params = [
      rand([W], 3, 0.2).add(1),
      rand([W], 4),
      rand([W, 3 * W], 5),
      rand([3 * W], 6),
      rand([W, W], 7),
      rand([W], 8),
    ];
    const [lnG, lnB, qkvW, qkvB, outW, outB] = params as [
      tf.Tensor1D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
    ];
    const keyMask = mask
      ? (tf.reshape(tf.mul(tf.sub(1, tf.tensor2d(mask)), -1e9), [B, 1, 1, L]) as tf.Tensor4D)
      : null;
    const mine = (xx: tf.Tensor, ...ps: tf.Tensor[]) => {
      const p = {
        lnG: ps[0],
        lnB: ps[1],
        qkvW: ps[2],
        qkvB: ps[3],
        outW: ps[4],
        outB: ps[5],
      } as AttentionParams;
      return attentionResidual(
        xx as tf.Tensor2D,
        p,
        { batch: B, length: L, heads: H },
        keyMask,
        1e-5,
      );
    };
    expect(
      maxDiff(mine(x, lnG, lnB, qkvW, qkvB, outW, outB), refAttention(x, params, B, L, H, mask)),
    ).toBeLessThan(1e-5);
    const gMine = tf.grads((...a: tf.Tensor[]) =>
      tf.sum(tf.mul(mine(a[0]!, ...a.slice(1)), upstream)),
    )([x, ...params]);
    const gRef = tf.grads((...a: tf.Tensor[]) =>
      tf.sum(tf.mul(refAttention(a[0]!, a.slice(1), B, L, H, mask), upstream)),
    )([x, ...params]);
    gMine.forEach((g, i) => expect(maxDiff(g, gRef[i]!)).toBeLessThan(2e-5));
  });

  it('mlp matches autograd of the textbook formula', () => {
    const params = [
      rand([W], 9, 0.2).add(1),
      rand([W], 10),
      rand([W, 2 * W], 11),
      rand([2 * W], 12),
      rand([2 * W, W], 13),
      rand([W], 14),
    ];
    const mine = (xx: tf.Tensor, ...ps: tf.Tensor[]) => {
      const p = {
        lnG: ps[0],
        lnB: ps[1],
        fcW: ps[2],
        fcB: ps[3],
        projW: ps[4],
        projB: ps[5],
      } as MlpParams;
      return mlpResidual(xx as tf.Tensor2D, p, 1e-5);
    };
    expect(maxDiff(mine(x, ...params), refMlp(x, params))).toBeLessThan(1e-5);
    const gMine = tf.grads((...a: tf.Tensor[]) =>
      tf.sum(tf.mul(mine(a[0]!, ...a.slice(1)), upstream)),
    )([x, ...params]);
    const gRef = tf.grads((...a: tf.Tensor[]) =>
      tf.sum(tf.mul(refMlp(a[0]!, a.slice(1)), upstream)),
    )([x, ...params]);
    gMine.forEach((g, i) => expect(maxDiff(g, gRef[i]!)).toBeLessThan(2e-5));
  });

  it('layerNorm matches autograd of the textbook formula', () => {
    const g = rand([W], 15, 0.5).add(1) as tf.Tensor1D;
    const b = rand([W], 16) as tf.Tensor1D;
    expect(maxDiff(layerNorm(x, g, b, 1e-5), ln(x, g, b))).toBeLessThan(1e-5);
    const mine = tf.grads((a, gg, bb) =>
      tf.sum(
        tf.mul(layerNorm(a as tf.Tensor2D, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-5), upstream),
      ),
    )([x, g, b]);
    const ref = tf.grads((a, gg, bb) => tf.sum(tf.mul(ln(a, gg, bb), upstream)))([x, g, b]);
    mine.forEach((d, i) => expect(maxDiff(d, ref[i]!)).toBeLessThan(2e-5));
  });

  it.each([true, false])('linear matches autograd of x·W + b (input gradient %s)', (inputGrad) => {
    const w = rand([W, 3], 19) as tf.Tensor2D;
    const b = rand([3], 20) as tf.Tensor1D;
    const up = rand([B * L, 3], 21);
    const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      linear(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, { inputGrad });
    expect(maxDiff(f(x, w, b), lin(x, w, b))).toBeLessThan(1e-5);
    const mine = tf.grads((ww, bb) => tf.sum(tf.mul(f(x, ww!, bb!), up)))([w, b]);
    const ref = tf.grads((ww, bb) => tf.sum(tf.mul(lin(x, ww!, bb!), up)))([w, b]);
    mine.forEach((d, i) => expect(maxDiff(d, ref[i]!)).toBeLessThan(2e-5));
    if (inputGrad) {
      const dx = tf.grad((xx) => tf.sum(tf.mul(f(xx, w, b), up)))(x);
      expect(maxDiff(dx, tf.grad((xx) => tf.sum(tf.mul(lin(xx, w, b), up)))(x))).toBeLessThan(2e-5);
    }
  });

  it('embedding lookup scatter-adds repeated ids in its gradient', () => {
    const table = rand([6, 4], 17) as tf.Tensor2D;
    const ids = tf.tensor1d([2, 0, 2, 5], 'int32');
    const up = rand([4, 4], 18);
    expect(maxDiff(embeddingLookup(table, ids), tf.gather(table, ids))).toBe(0);
    const mine = tf.grad((t) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), up)))(table);
    const ref = tf.grad((t) =>
      tf.sum(
        tf.mul(tf.matMul(tf.oneHot(ids, 6, 1, 0, 'float32') as tf.Tensor2D, t as tf.Tensor2D), up),
      ),
    )(table);
    expect(maxDiff(mine, ref)).toBeLessThan(1e-6);
  });
});

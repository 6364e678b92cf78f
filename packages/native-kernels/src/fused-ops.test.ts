import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadAddon } from './addon.js';
import { getFusedOps } from './fused-ops.js';
import { registerNativeKernels, unregisterWasmKernels } from './register.js';
import { expectClose, randomTensor, tf, useWasm } from './test-support.js';

const addon = loadAddon();
const skipReason = addon.ok ? '' : ` (skipped: ${addon.reason})`;
const data = (t: tf.Tensor) => t.dataSync() as Float32Array;

/** The trainer's composed-op formulas (workers/trainer/src/model/layers.ts, optim/adamw.ts). */
const reference = {
  layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number) {
    const { mean, variance } = tf.moments(x, -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(x, mean), rstd);
    return { y: tf.add(tf.mul(xhat, g), b), xhat, rstd };
  },
  layerNormGrad(dy: tf.Tensor, xh: tf.Tensor, rs: tf.Tensor, g: tf.Tensor) {
    const dxhat = tf.mul(dy, g);
    const dx = tf.mul(
      tf.sub(
        tf.sub(dxhat, tf.mean(dxhat, -1, true)),
        tf.mul(xh, tf.mean(tf.mul(dxhat, xh), -1, true)),
      ),
      rs,
    );
    return { dx, dgamma: tf.sum(tf.mul(dy, xh), 0), dbeta: tf.sum(dy, 0) };
  },
  gelu: (x: tf.Tensor) => tf.mul(x, tf.sigmoid(tf.mul(x, 1.702))),
  geluGrad(dy: tf.Tensor, x: tf.Tensor) {
    const s = tf.sigmoid(tf.mul(x, 1.702));
    return tf.mul(dy, tf.mul(s, tf.add(tf.mul(tf.mul(x, tf.sub(1, s)), 1.702), 1)));
  },
};

describe(`fused ops${skipReason}`, () => {
  beforeAll(useWasm);
  afterAll(() => unregisterWasmKernels(tf));

  it('are unavailable on plain wasm and on cpu', async () => {
    unregisterWasmKernels(tf);
    expect(getFusedOps(tf)).toBeUndefined();
    if (!addon.ok) return;
    registerNativeKernels(tf);
    await tf.setBackend('cpu');
    expect(getFusedOps(tf)).toBeUndefined();
    await tf.setBackend('wasm');
    expect(getFusedOps(tf)).toBeDefined();
  });

  it.skipIf(!addon.ok)('layer norm forward and backward match the composed ops', () => {
    registerNativeKernels(tf);
    const ops = getFusedOps(tf)!;
    // the last shape runs on several threads
    for (const [rows, cols] of [
      [37, 128],
      [5, 7],
      [3, 513],
      [701, 384],
    ] as const) {
      const x = tf.add(tf.mul(randomTensor([rows, cols], cols), 3), 1);
      const [g, b, dy] = [
        randomTensor([cols], 2),
        randomTensor([cols], 3),
        randomTensor([rows, cols], 4),
      ];
      const fused = ops.layerNorm(x, g, b, 1e-5);
      const ref = reference.layerNorm(x, g, b, 1e-5);
      expect(fused.rstd.shape).toEqual([rows, 1]);
      for (const k of ['y', 'xhat', 'rstd'] as const)
        expectClose(data(fused[k]), data(ref[k]), 1e-5);
      const grads = ops.layerNormGrad(dy, fused.xhat, fused.rstd, g);
      const refGrads = reference.layerNormGrad(dy, ref.xhat, ref.rstd, g);
      for (const k of ['dx', 'dgamma', 'dbeta'] as const)
        expectClose(data(grads[k]), data(refGrads[k]), 1e-4);
    }
  });

  it.skipIf(!addon.ok)('sigmoid GELU forward and backward match the composed ops', () => {
    registerNativeKernels(tf);
    const ops = getFusedOps(tf)!;
    for (const shape of [
      [63, 65],
      [520, 513],
    ]) {
      // the second runs on several threads
      const x = tf.mul(randomTensor(shape, 5), 6);
      const dy = randomTensor(shape, 6);
      expectClose(data(ops.geluSigmoid(x)), data(reference.gelu(x)), 1e-5);
      expectClose(data(ops.geluSigmoidGrad(dy, x)), data(reference.geluGrad(dy, x)), 1e-5);
    }
  });

  it.skipIf(!addon.ok)('AdamW update matches the composed formula', () => {
    registerNativeKernels(tf);
    const ops = getFusedOps(tf)!;
    const [p, g, m] = [randomTensor([300], 7), randomTensor([300], 8), randomTensor([300], 9)];
    const v = tf.abs(randomTensor([300], 10));
    const c = {
      b1: 0.9,
      c1: 0.1,
      b2: 0.999,
      c2: 0.001,
      invSqrtBc2: 1 / Math.sqrt(1 - 0.999 ** 3),
      eps: 1e-8,
      stepSize: 1e-3 / (1 - 0.9 ** 3),
      keep: 1 - 1e-3 * 0.2,
    };
    const out = ops.adamw(p, g, m, v, c);
    const mNew = tf.add(tf.mul(m, c.b1), tf.mul(g, c.c1));
    const vNew = tf.add(tf.mul(v, c.b2), tf.mul(tf.square(g), c.c2));
    const update = tf.mul(
      tf.div(mNew, tf.add(tf.mul(tf.sqrt(vNew), c.invSqrtBc2), c.eps)),
      c.stepSize,
    );
    expectClose(data(out.m), data(mNew), 1e-6);
    expectClose(data(out.v), data(vNew), 1e-6);
    expectClose(data(out.param), data(tf.sub(tf.mul(p, c.keep), update)), 1e-6);
  });
});

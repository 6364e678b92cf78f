import { afterAll, beforeAll, describe, it } from 'vitest';

import { loadAddon } from './addon.js';
import { registerNativeKernels, unregisterWasmKernels } from './register.js';
import { expectSameAsStock, randomFloats, tf, useWasm } from './test-support.js';

const addon = loadAddon();
const skipReason = addon.ok ? '' : ` (skipped: ${addon.reason})`;
const native = () => void registerNativeKernels(tf);
const stock = () => void unregisterWasmKernels(tf);
const same = (build: () => tf.Tensor | tf.Tensor[], tolerance?: number) =>
  expectSameAsStock(build, native, stock, tolerance);

/** Values in [lo, hi) plus a few exact edge values. */
function values(shape: number[], seed: number, lo = -4, hi = 4): tf.Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = randomFloats(size, seed).map((v) => lo + ((v + 1) / 2) * (hi - lo));
  if (size > 3 && lo < 0) data.set([0, -0.5, 0.5], 0);
  return tf.tensor(data, shape);
}

describe(`native elementwise kernels vs the stock wasm kernels${skipReason}`, () => {
  beforeAll(useWasm);
  afterAll(stock);

  const UNARY: [string, (x: tf.Tensor) => tf.Tensor, number?, number?][] = [
    ['abs', tf.abs],
    ['neg', tf.neg],
    ['exp', tf.exp, -20, 20],
    ['log', tf.log, 0.01, 50],
    ['sqrt', tf.sqrt, 0, 50],
    ['rsqrt', tf.rsqrt, 0.01, 50],
    ['square', tf.square],
    ['reciprocal', tf.reciprocal, 0.1, 9],
    ['relu', tf.relu],
    ['relu6', tf.relu6, -3, 9],
    ['sigmoid', tf.sigmoid, -30, 30],
    ['tanh', tf.tanh, -12, 12],
    ['erf', tf.erf],
    ['softplus', tf.softplus, -20, 30],
    ['elu', tf.elu],
    ['leakyRelu', (x) => tf.leakyRelu(x, 0.1)],
    ['step', (x) => tf.step(x, 0.25)],
    ['log1p', tf.log1p, -0.9, 9],
    ['expm1', tf.expm1, -5, 5],
  ];
  for (const [name, op, lo, hi] of UNARY) {
    it.skipIf(!addon.ok)(`unary ${name}`, () => same(() => op(values([37, 29], 7, lo, hi))));
  }

  const BINARY: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['div', tf.div],
    ['maximum', tf.maximum],
    ['minimum', tf.minimum],
    ['squaredDifference', tf.squaredDifference],
  ];
  const SHAPES: [number[], number[]][] = [
    [
      [13, 17],
      [13, 17],
    ],
    [[13, 17], [17]],
    [
      [13, 17],
      [13, 1],
    ],
    [[13, 17], []],
    [[], [5, 3]],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [
      [3, 1, 5, 1],
      [1, 4, 1, 6],
    ],
    [[1], [1]],
  ];
  for (const [name, op] of BINARY) {
    it.skipIf(!addon.ok)(`binary ${name} with broadcasting`, async () => {
      for (const [i, [sa, sb]] of SHAPES.entries())
        await same(() => op(values(sa, 2 * i), values(sb, 2 * i + 1, 0.5, 3)));
    });
  }

  it.skipIf(!addon.ok)('pow with constant and tensor exponents', async () => {
    for (const e of [2, 3, 0.5, 1, 0, -1, 1.7])
      await same(() => tf.pow(values([9, 11], 3, 0.1, 3), e));
    await same(() => tf.pow(values([9, 11], 4, 0.1, 3), values([11], 5, -2, 2)));
    await same(() => tf.pow(values([9, 11], 6, -3, 3), 3));
  });

  it.skipIf(!addon.ok)('gradients through elementwise chains match', async () => {
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.pow(x, 3)), tf.sigmoid(tf.div(x, 2))));
    await same(() => tf.grad(f)(values([31, 7], 9)), 1e-4);
  });
});

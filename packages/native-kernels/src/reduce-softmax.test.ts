import { afterAll, beforeAll, describe, it } from 'vitest';

import { loadAddon } from './addon.js';
import { registerNativeKernels, unregisterWasmKernels } from './register.js';
import { expectSameAsStock, randomTensor, tf, useWasm } from './test-support.js';

const addon = loadAddon();
const skipReason = addon.ok ? '' : ` (skipped: ${addon.reason})`;
const same = (build: () => tf.Tensor | tf.Tensor[], tolerance = 1e-5) =>
  expectSameAsStock(
    build,
    () => void registerNativeKernels(tf),
    () => void unregisterWasmKernels(tf),
    tolerance,
  );

describe(`native reductions and softmax vs the stock wasm kernels${skipReason}`, () => {
  beforeAll(useWasm);
  afterAll(() => unregisterWasmKernels(tf));

  const AXES: (number | number[] | undefined)[] = [
    0,
    1,
    2,
    -1,
    [0, 1],
    [1, 2],
    [0, 1, 2],
    undefined,
    [0, 2],
  ];
  const OPS: [
    string,
    (x: tf.Tensor, axis: number | number[] | undefined, keepDims: boolean) => tf.Tensor,
  ][] = [
    ['sum', (x, a, k) => tf.sum(x, a, k)],
    ['mean', (x, a, k) => tf.mean(x, a, k)],
    ['max', (x, a, k) => tf.max(x, a, k)],
    ['min', (x, a, k) => tf.min(x, a, k)],
    ['prod', (x, a, k) => tf.prod(tf.add(tf.mul(x, 0.1), 1), a, k)],
  ];
  for (const [name, op] of OPS) {
    it.skipIf(!addon.ok)(`${name} over every axis combination, keepDims both ways`, async () => {
      for (const axis of AXES) {
        for (const keepDims of [false, true])
          await same(() => op(randomTensor([6, 35, 9], 5), axis, keepDims), 1e-4);
      }
      await same(() => op(randomTensor([1, 40, 1, 3], 6), [0, 1, 2], false), 1e-4); // size-1 dims in the block
    });
  }

  it.skipIf(!addon.ok)('max and min propagate NaN', async () => {
    const x = () =>
      tf.tensor([
        [1, NaN, 3],
        [4, 5, 6],
      ]);
    await same(() => [tf.max(x(), 1), tf.min(x(), 1), tf.max(x(), 0)]);
  });

  it.skipIf(!addon.ok)('softmax over the last axis, and its gradient', async () => {
    for (const shape of [
      [7, 33],
      [2, 3, 65],
      [5, 1],
      [4, 100],
      [300, 1000],
    ]) {
      // the last one runs threaded
      await same(() => tf.softmax(tf.mul(randomTensor(shape, 9), 20)));
    }
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), tf.range(0, 17).reshape([1, 17])));
    await same(() => tf.grad(f)(randomTensor([9, 17], 10)), 1e-4);
  });
});

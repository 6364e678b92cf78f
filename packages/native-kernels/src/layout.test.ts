import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadAddon } from './addon.js';
import { registerNativeKernels, unregisterWasmKernels } from './register.js';
import { expectSameAsStock, randomTensor, tf, useWasm } from './test-support.js';

const addon = loadAddon();
const skipReason = addon.ok ? '' : ` (skipped: ${addon.reason})`;
const same = (build: () => tf.Tensor | tf.Tensor[]) =>
  expectSameAsStock(
    build,
    () => void registerNativeKernels(tf),
    () => void unregisterWasmKernels(tf),
  );
const ints = (shape: number[]) =>
  tf
    .range(
      0,
      shape.reduce((p, d) => p * d, 1),
      1,
      'int32',
    )
    .reshape(shape);

describe(`native layout kernels vs the stock wasm kernels${skipReason}`, () => {
  beforeAll(useWasm);
  afterAll(() => unregisterWasmKernels(tf));

  it.skipIf(!addon.ok)(
    'transpose: every permutation up to rank 4, float32 / int32 / bool',
    async () => {
      const perms = [
        [1, 0],
        [0, 2, 1],
        [2, 0, 1],
        [1, 2, 0],
        [0, 2, 1, 3],
        [3, 1, 0, 2],
        [2, 3, 0, 1],
      ];
      for (const perm of perms) {
        const shape = [7, 40, 5, 3].slice(0, perm.length);
        await same(() => tf.transpose(randomTensor(shape, perm.length), perm));
        await same(() => tf.transpose(ints(shape), perm));
        await same(() => tf.transpose(tf.greater(randomTensor(shape, 3), 0), perm));
      }
      await same(() => tf.transpose(randomTensor([70, 90], 4))); // tiled 2-D path
    },
  );

  it.skipIf(!addon.ok)('slice with numbers, partial lists and -1 sizes', async () => {
    const x = () => randomTensor([6, 9, 5], 1);
    await same(() => tf.slice(x(), [1, 2, 0], [3, 4, 5]));
    await same(() => tf.slice(x(), [2], [-1]));
    await same(() => tf.slice(x(), 1, 2));
    await same(() => tf.slice(x(), [0, 3], [-1, 2]));
    await same(() => tf.slice(ints([4, 6]), [1, 1], [2, 3]));
  });

  it.skipIf(!addon.ok)('split by count and by sizes, any axis', async () => {
    await same(() => tf.split(randomTensor([6, 12, 4], 2), 3, 1));
    await same(() => tf.split(randomTensor([6, 12, 4], 2), [2, -1, 5], 1));
    await same(() => tf.split(randomTensor([6, 12, 4], 2), 2, -1));
    await same(() => tf.split(ints([6, 4]), [1, 5], 0));
  });

  it.skipIf(!addon.ok)('concat along every axis, and its gradient (split)', async () => {
    for (const axis of [0, 1, 2, -1]) {
      const shapeOf = (n: number) => [3, 4, 5].map((d, i) => (i === (axis + 3) % 3 ? n : d));
      await same(() =>
        tf.concat(
          [randomTensor(shapeOf(2), 1), randomTensor(shapeOf(5), 2), randomTensor(shapeOf(1), 3)],
          axis,
        ),
      );
    }
    await same(() => tf.concat([ints([2, 3]), ints([2, 2])], 1));
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.concat([a, b], 1), tf.range(1, 8).reshape([1, 7])));
    await same(() => tf.grads(f)([randomTensor([4, 3], 5), randomTensor([4, 4], 6)]));
  });

  it.skipIf(!addon.ok)('pad with constants, and the gradient of slice (a pad)', async () => {
    await same(() =>
      tf.pad(
        randomTensor([3, 4, 5], 1),
        [
          [1, 2],
          [0, 0],
          [3, 1],
        ],
        0.5,
      ),
    );
    await same(() =>
      tf.pad(
        ints([2, 3]),
        [
          [2, 0],
          [1, 1],
        ],
        7,
      ),
    );
    await same(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.slice(x, [1, 2], [2, 3]))))(
        randomTensor([4, 6], 2),
      ),
    );
  });

  it.skipIf(!addon.ok)('gather rows along any axis with any index shape', async () => {
    const indices = () => tf.tensor([3, 0, 3, 1], [2, 2], 'int32');
    await same(() => tf.gather(randomTensor([5, 6], 1), indices()));
    await same(() => tf.gather(randomTensor([4, 5, 6], 2), indices(), 1));
    await same(() => tf.gather(randomTensor([4, 5, 6], 2), tf.tensor1d([5, 0], 'int32'), 2));
    await same(() => tf.gather(ints([7, 3]), tf.tensor1d([6, 6, 0], 'int32')));
  });

  it.skipIf(!addon.ok)('gather rejects an out-of-range index', () => {
    registerNativeKernels(tf);
    expect(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([3], 'int32'))).toThrow(/out of range/);
  });
});

// The pure-JS kernels: always tested, addon or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadAddon } from './addon.js';
import {
  registerNativeKernels,
  registerWasmFallbackKernels,
  unregisterWasmKernels,
} from './register.js';
import { expectClose, onCpu, randomFloats, tf, useWasm } from './test-support.js';

const addon = loadAddon();

const ids = [4, 0, -1, 2, 4, 7, 1, 0, 4, 3];
const segmentCases: { shape: number[]; dtype: 'float32' | 'int32' }[] = [
  { shape: [10], dtype: 'float32' },
  { shape: [10, 6], dtype: 'float32' },
  { shape: [10, 3, 2], dtype: 'float32' },
  { shape: [10, 4], dtype: 'int32' },
];

function segmentInput(shape: number[], dtype: 'float32' | 'int32') {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = randomFloats(size, size).map((v) => (dtype === 'int32' ? Math.round(v * 50) : v));
  return () => tf.unsortedSegmentSum(tf.tensor(data, shape, dtype), tf.tensor1d(ids, 'int32'), 6);
}

async function checkSegmentSums(): Promise<void> {
  for (const { shape, dtype } of segmentCases) {
    const build = segmentInput(shape, dtype);
    const expected = await onCpu(build); // cpu is the reference; ids 7 and -1 are dropped
    const actual = build();
    expect(actual.shape).toEqual(expected.shape);
    expect(actual.dtype).toBe(dtype);
    expectClose(await actual.data(), expected.values, 1e-6);
  }
}

/** Embedding lookup + loss: the gradient flows through UnsortedSegmentSum. */
function embeddingGradient(): tf.Tensor {
  const table = tf.tensor(randomFloats(8 * 5, 3), [8, 5]);
  const tokens = tf.tensor2d(
    [
      [1, 3, 3],
      [7, 0, 1],
    ],
    [2, 3],
    'int32',
  );
  return tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tokens.reshape([-1])))))(table);
}

describe('wasm fallback kernels (pure JS, no addon needed)', () => {
  beforeAll(useWasm);
  afterAll(() => unregisterWasmKernels(tf));

  it('the stock wasm backend really lacks UnsortedSegmentSum', () => {
    unregisterWasmKernels(tf);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined();
  });

  it('UnsortedSegmentSum matches the cpu backend (float32, int32, ranks 1-3, dropped ids)', async () => {
    unregisterWasmKernels(tf);
    expect(registerWasmFallbackKernels(tf)).toContain('UnsortedSegmentSum');
    await checkSegmentSums();
  });

  it('the gradient of tf.gather (embedding lookup) works on wasm', async () => {
    unregisterWasmKernels(tf);
    registerWasmFallbackKernels(tf);
    const grad = embeddingGradient();
    const expected = await onCpu(embeddingGradient);
    expectClose(await grad.data(), expected.values, 1e-6);
  });

  it('Identity shares memory instead of copying, and disposal stays balanced', async () => {
    registerWasmFallbackKernels(tf);
    const before = tf.memory().numTensors;
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe(`native UnsortedSegmentSum${addon.ok ? '' : ` (skipped: ${addon.reason})`}`, () => {
  beforeAll(useWasm);
  afterAll(() => unregisterWasmKernels(tf));

  it.skipIf(!addon.ok)('matches the cpu backend, and the gather gradient works', async () => {
    registerNativeKernels(tf);
    await checkSegmentSums();
    const expected = await onCpu(embeddingGradient);
    expectClose(await embeddingGradient().data(), expected.values, 1e-6);
  });
});

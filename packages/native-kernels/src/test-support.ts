// Shared helpers of the kernel tests: a seeded tfjs wasm setup and numeric comparison.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

import { loadAddon, type GemmEngine } from './addon.js';
import { initWasmBackend } from './wasm-init.js';

export { tf };

export async function useWasm(): Promise<void> {
  await initWasmBackend(tf);
}

/** Deterministic uniform floats in [-1, 1) (mulberry32). */
export function randomFloats(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    randomFloats(
      shape.reduce((p, d) => p * d, 1),
      seed,
    ),
    shape,
  );
}

/** Runs `fn` on the cpu backend and returns the result's shape and values. */
export async function onCpu(
  fn: () => tf.Tensor,
): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend('cpu');
  try {
    const t = fn();
    const values = (await t.data()) as Float32Array;
    const shape = t.shape;
    t.dispose();
    return { shape, values };
  } finally {
    await tf.setBackend('wasm');
  }
}

export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance = 1e-4,
): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!));
    if (!(err <= worst)) {
      worst = err;
      worstAt = i;
    }
  }
  expect(
    worst,
    `worst relative error at ${worstAt}: ${actual[worstAt]} vs ${expected[worstAt]}`,
  ).toBeLessThanOrEqual(tolerance);
}

interface Result {
  shape: number[];
  dtype: string;
  values: ArrayLike<number>;
}

async function read(out: tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  const list = Array.isArray(out) ? out : [out];
  const results = await Promise.all(
    list.map(async (t) => ({ shape: t.shape, dtype: t.dtype, values: await t.data() })),
  );
  tf.dispose(list);
  return results as Result[];
}

/**
 * Runs `build` with the stock wasm kernels, then with `register` applied (the native or
 * fallback kernels), and expects the same shapes, dtypes and values.
 */
export async function expectSameAsStock(
  build: () => tf.Tensor | tf.Tensor[],
  register: () => void,
  unregister: () => void,
  tolerance = 1e-5,
): Promise<void> {
  unregister();
  const stock = await read(build());
  register();
  const native = await read(build());
  expect(native.map((r) => [r.shape, r.dtype])).toEqual(stock.map((r) => [r.shape, r.dtype]));
  native.forEach((r, i) => expectClose(r.values, stock[i]!.values, tolerance));
}

/** Each GEMM engine the kernel tests run on, with the reason when this addon cannot run it. */
export function gemmEngines(): { engine: GemmEngine; skip?: string }[] {
  const load = loadAddon();
  if (!load.ok) return [{ engine: 'builtin', skip: load.reason }];
  const openblas = load.addon.gemmInfo().builtWithOpenblas
    ? {}
    : { skip: 'addon built without OpenBLAS (apt-get install libopenblas-dev, then rebuild)' };
  return [{ engine: 'builtin' }, { engine: 'openblas', ...openblas }];
}

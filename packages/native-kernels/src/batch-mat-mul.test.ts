import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerNativeKernels, unregisterWasmKernels } from './register.js';
import {
  expectClose,
  onCpu,
  randomFloats,
  randomTensor,
  tf,
  useWasm,
  gemmEngines,
} from './test-support.js';

interface Case {
  batchA: number[];
  batchB: number[];
  m: number;
  k: number;
  n: number;
}

const CASES: Case[] = [
  { batchA: [], batchB: [], m: 37, k: 19, n: 23 },
  { batchA: [], batchB: [], m: 1, k: 64, n: 1 },
  { batchA: [4], batchB: [4], m: 17, k: 32, n: 17 },
  { batchA: [2, 3], batchB: [2, 3], m: 9, k: 16, n: 11 },
  { batchA: [5], batchB: [], m: 13, k: 7, n: 29 }, // B shared by every batch
  { batchA: [], batchB: [3], m: 8, k: 12, n: 5 }, // A shared
  { batchA: [1], batchB: [6], m: 6, k: 4, n: 10 },
  { batchA: [37], batchB: [37], m: 9, k: 8, n: 7 },
  { batchA: [130], batchB: [130], m: 64, k: 32, n: 65 }, // enough small products to spread over threads
  { batchA: [2, 20], batchB: [20], m: 5, k: 6, n: 4 },
];

function operandShape(batch: number[], rows: number, cols: number, transpose: boolean): number[] {
  return transpose ? [...batch, cols, rows] : [...batch, rows, cols];
}

/** Runs tf.matMul with the currently registered wasm kernels. */
async function wasmMatMul(
  aShape: number[],
  bShape: number[],
  tA: boolean,
  tB: boolean,
  seed: number,
) {
  const [a, b] = [randomTensor(aShape, seed), randomTensor(bShape, seed + 1)];
  const c = tf.matMul(a, b, tA, tB);
  const out = { shape: c.shape, values: (await c.data()) as Float32Array };
  tf.dispose([a, b, c]);
  return out;
}

for (const { engine, skip } of gemmEngines()) {
  describe(`native BatchMatMul vs the stock wasm kernel, ${engine} GEMM${skip ? ` (skipped: ${skip})` : ''}`, () => {
    beforeAll(useWasm);
    afterAll(() => unregisterWasmKernels(tf));

    it.skipIf(skip !== undefined)(
      'matches on random shapes, every transpose, batched and broadcast',
      async () => {
        let seed = 1;
        for (const c of CASES) {
          for (const [tA, tB] of [
            [false, false],
            [true, false],
            [false, true],
            [true, true],
          ] as const) {
            const aShape = operandShape(c.batchA, c.m, c.k, tA);
            const bShape = operandShape(c.batchB, c.k, c.n, tB);
            unregisterWasmKernels(tf);
            const stock = await wasmMatMul(aShape, bShape, tA, tB, seed);
            expect(registerNativeKernels(tf, { gemm: engine })).toMatchObject({
              gemmEngine: engine,
            });
            const native = await wasmMatMul(aShape, bShape, tA, tB, seed);
            expect(native.shape).toEqual(stock.shape);
            expectClose(native.values, stock.values);
            seed += 2;
          }
        }
      },
    );

    it.skipIf(skip !== undefined)(
      'broadcasts batch dims the way numpy does ([2,1] with [1,3])',
      async () => {
        registerNativeKernels(tf, { gemm: engine });
        const [m, k, n] = [5, 6, 7];
        const aData = randomFloats(2 * m * k, 11);
        const bData = randomFloats(3 * k * n, 12);
        const c = tf.matMul(tf.tensor(aData, [2, 1, m, k]), tf.tensor(bData, [1, 3, k, n]));
        expect(c.shape).toEqual([2, 3, m, n]);
        const values = await c.data();
        // Reference: each (i, j) output is a[i] · b[j], computed as separate 2-D products on cpu.
        const expected = await onCpu(() =>
          tf.stack(
            [0, 1].flatMap((i) =>
              [0, 1, 2].map((j) =>
                tf.matMul(
                  tf.tensor(aData.slice(i * m * k, (i + 1) * m * k), [m, k]),
                  tf.tensor(bData.slice(j * k * n, (j + 1) * k * n), [k, n]),
                ),
              ),
            ),
          ),
        );
        expectClose(values, expected.values);
      },
    );

    it.skipIf(skip !== undefined)('gives the same gradients as the stock kernels', async () => {
      const a = randomTensor([3, 12, 20], 21);
      const b = randomTensor([3, 9, 20], 22);
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, false, true)));
      const grads = async () =>
        Promise.all(
          tf
            .grads(f)([a, b])
            .map((g) => g.data()),
        );
      unregisterWasmKernels(tf);
      const stock = await grads();
      registerNativeKernels(tf, { gemm: engine });
      const native = await grads();
      expectClose(native[0]!, stock[0]!);
      expectClose(native[1]!, stock[1]!);
    });

    it.skipIf(skip !== undefined)('handles empty products', async () => {
      registerNativeKernels(tf, { gemm: engine });
      const empty = tf.matMul(tf.zeros([0, 4]), tf.zeros([4, 3]));
      expect(empty.shape).toEqual([0, 3]);
      const zeroInner = tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 3]));
      expect(Array.from(await zeroInner.data())).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });
}

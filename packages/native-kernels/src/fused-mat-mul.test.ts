import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { epilogueStrides } from './kernels/fused-mat-mul.js';
import { registerNativeKernels, unregisterWasmKernels } from './register.js';
import {
  expectClose,
  expectSameAsStock,
  onCpu,
  randomFloats,
  tf,
  useWasm,
  gemmEngines,
} from './test-support.js';

type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'sigmoid' | 'elu' | 'prelu';
const ACTIVATIONS: Activation[] = [
  'linear',
  'relu',
  'relu6',
  'leakyrelu',
  'sigmoid',
  'elu',
  'prelu',
];

function fused(
  batch: number[],
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
  activation: Activation,
  biasShape: number[] | undefined,
  seed: number,
) {
  const t = (shape: number[], s: number, scale = 3) =>
    tf.tensor(
      randomFloats(
        shape.reduce((p, d) => p * d, 1),
        s,
      ).map((v) => v * scale),
      shape,
    );
  return () =>
    tf.fused.matMul({
      a: t([...batch, ...(tA ? [k, m] : [m, k])], seed),
      b: t([...batch, ...(tB ? [n, k] : [k, n])], seed + 1),
      transposeA: tA,
      transposeB: tB,
      bias: biasShape ? t(biasShape, seed + 2) : undefined,
      activation,
      preluActivationWeights: activation === 'prelu' ? t([n], seed + 3, 0.5) : undefined,
      leakyreluAlpha: 0.15,
    });
}

describe('epilogue broadcast strides', () => {
  it('maps bias shapes onto (batch, row, col) strides', () => {
    expect(epilogueStrides([7], [2, 5, 7])).toEqual({ strideBatch: 0, strideRow: 0, strideCol: 1 });
    expect(epilogueStrides([5, 1], [2, 5, 7])).toEqual({
      strideBatch: 0,
      strideRow: 1,
      strideCol: 0,
    });
    expect(epilogueStrides([2, 5, 7], [2, 5, 7])).toEqual({
      strideBatch: 35,
      strideRow: 7,
      strideCol: 1,
    });
    expect(epilogueStrides([], [5, 7])).toEqual({ strideBatch: 0, strideRow: 0, strideCol: 0 });
    expect(epilogueStrides([3, 7], [5, 7])).toBeUndefined();
  });
});

for (const { engine, skip } of gemmEngines()) {
  describe(`native _FusedMatMul, ${engine} GEMM${skip ? ` (skipped: ${skip})` : ''}`, () => {
    beforeAll(useWasm);
    afterAll(() => unregisterWasmKernels(tf));

    const TRANSPOSES = [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const;

    it.skipIf(skip !== undefined)(
      'matches the stock wasm kernel without bias (every activation, transpose, batched)',
      async () => {
        let seed = 1;
        for (const activation of ACTIVATIONS) {
          for (const [tA, tB] of TRANSPOSES) {
            await expectSameAsStock(
              fused([3], 11, 9, 13, tA, tB, activation, undefined, (seed += 4)),
              () => void registerNativeKernels(tf, { gemm: engine }),
              () => void unregisterWasmKernels(tf),
              1e-4,
            );
          }
        }
      },
    );

    // The stock wasm kernel is wrong with a bias once A is transposed or batched (tfjs 4.22),
    // so biased products are checked against the cpu backend.
    it.skipIf(skip !== undefined)(
      'matches the cpu backend with a rank-1 bias (every activation, transpose, batched)',
      async () => {
        registerNativeKernels(tf, { gemm: engine });
        let seed = 50;
        for (const activation of ACTIVATIONS) {
          for (const [tA, tB] of TRANSPOSES) {
            for (const batch of [[], [3]]) {
              const build = fused(batch, 11, 9, 13, tA, tB, activation, [13], (seed += 4));
              const expected = await onCpu(build);
              expectClose(await build().data(), expected.values, 1e-4);
            }
          }
        }
      },
    );

    it.skipIf(skip !== undefined)(
      'matches the cpu backend for biases the stock wasm kernel rejects',
      async () => {
        registerNativeKernels(tf, { gemm: engine });
        let seed = 100;
        const cases: [number[], number, number, number, number[]][] = [
          [[], 6, 5, 7, [6, 7]],
          [[], 6, 5, 7, [6, 1]],
          [[], 6, 5, 7, []],
          [[4], 6, 5, 7, [1, 7]],
          [[4], 6, 5, 7, [4, 6, 7]],
          [[130], 2, 3, 3, [3]], // batch folded into rows
        ];
        for (const [batch, m, k, n, bias] of cases) {
          for (const activation of ['linear', 'relu', 'elu'] as Activation[]) {
            const build = fused(
              batch,
              m,
              k,
              n,
              false,
              seed % 2 === 0,
              activation,
              bias,
              (seed += 4),
            );
            const expected = await onCpu(build);
            const actual = build();
            expect(actual.shape).toEqual(expected.shape);
            expectClose(await actual.data(), expected.values, 1e-4);
          }
        }
      },
    );

    it.skipIf(skip !== undefined)(
      'trains a dense layer with the same gradients as stock',
      async () => {
        const x = tf.tensor(randomFloats(16 * 8, 1), [16, 8]);
        const w = tf.tensor(randomFloats(8 * 4, 2), [8, 4]);
        const b = tf.tensor(randomFloats(4, 3), [4]);
        const f = (wv: tf.Tensor, bv: tf.Tensor) =>
          tf.sum(tf.square(tf.fused.matMul({ a: x, b: wv, bias: bv, activation: 'relu' })));
        await expectSameAsStock(
          () => tf.grads(f)([w, b]),
          () => void registerNativeKernels(tf, { gemm: engine }),
          () => void unregisterWasmKernels(tf),
          1e-4,
        );
      },
    );
  });
}

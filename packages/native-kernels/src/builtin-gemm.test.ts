// The addon's GEMM engines against a float64 reference: every micro-kernel this CPU runs, odd
// and blocked sizes, every transpose, strided (leading dimension > width) and batched operands.
import { afterAll, describe, expect, it } from 'vitest';

import { loadAddon, type GemmEngine, type GemmKernel, type NativeAddon } from './addon.js';
import { gemmFromEnvironment } from './env.js';
import { gemmParams } from './gemm-params.js';
import { planMatMul } from './matmul-plan.js';
import { gemmEngines, randomFloats } from './test-support.js';

const load = loadAddon();
const KERNELS: GemmKernel[] = ['avx512', 'avx2', 'portable'];

/** Why `kernel` cannot run here (CPU or build), or undefined when it can. */
function kernelSkip(kernel: GemmKernel): string | undefined {
  if (!load.ok) return load.reason;
  try {
    load.addon.useGemm('builtin', kernel);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

interface Product {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Extra elements at the end of each row of A, B and C (strided operands). */
  pad: number;
  alpha: number;
  threads: number;
}

// Odd sizes around every tile and block edge (MR 6/12, NR 8/16/32, KC 512, MC 192, NC 3072),
// 1-wide and tiny products, K = 0 and 1, products small enough for the AVX-512 kernel's unpacked
// path (up to 96³ multiply-adds) and large enough to be packed, blocked and split over threads.
const SIZES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 7, 1, 1],
  [5, 1, 3, 1],
  [3, 4, 0, 1],
  [13, 17, 1, 1],
  [37, 19, 23, 1],
  [12, 32, 64, 1],
  [25, 33, 257, 1],
  [200, 65, 31, 1],
  [3, 3100, 5, 1],
  [20, 3100, 20, 1],
  [40, 50, 1100, 1],
  [400, 40, 60, 1],
  [300, 290, 100, 2],
  [50, 700, 300, 2],
  [40, 50, 5000, 2], // deep, as weight gradients are
];

function products(): Product[] {
  const out: Product[] = [];
  let i = 0;
  for (const [m, n, k, threads] of SIZES) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      out.push({ m, n, k, transA, transB, pad: i % 3, alpha: i % 2 ? 0.5 : 1, threads });
      i++;
    }
  }
  return out;
}

/** The stored operand of op(X) [rows x cols]: X itself, or Xᵀ stored as cols x rows. */
function stored(rows: number, cols: number, trans: boolean, pad: number, seed: number) {
  const [r, c] = trans ? [cols, rows] : [rows, cols];
  const ld = Math.max(1, c + pad); // BLAS leading dimensions are at least 1
  return { data: randomFloats(Math.max(1, r * ld), seed), ld };
}

function reference(p: Product, a: Float32Array, lda: number, b: Float32Array, ldb: number) {
  const c = new Float64Array(p.m * p.n);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let sum = 0;
      for (let q = 0; q < p.k; q++) {
        const av = p.transA ? a[q * lda + i]! : a[i * lda + q]!;
        const bv = p.transB ? b[j * ldb + q]! : b[q * ldb + j]!;
        sum += av * bv;
      }
      c[i * p.n + j] = p.alpha * sum;
    }
  }
  return c;
}

/** Runs one product on the addon and checks every element and that C's row padding is untouched. */
function checkProduct(addon: NativeAddon, p: Product, seed: number): void {
  const a = stored(p.m, p.k, p.transA, p.pad, seed);
  const b = stored(p.k, p.n, p.transB, p.pad, seed + 1);
  const ldc = p.n + p.pad;
  const c = new Float32Array(p.m * ldc).fill(Number.NaN);
  const params = [+p.transA, +p.transB, p.m, p.n, p.k, p.alpha, a.ld, b.ld, ldc, p.threads];
  addon.sgemm(a.data, b.data, c, Float64Array.from(params));
  const expected = reference(p, a.data, a.ld, b.data, b.ld);
  let worst = 0;
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = c[i * ldc + j]!;
      if (j >= p.n) expect(got, `padding of row ${i} written`).toBeNaN();
      else worst = Math.max(worst, Math.abs(got - expected[i * p.n + j]!));
    }
  }
  expect(worst, `${JSON.stringify(p)}`).toBeLessThan(1e-4);
}

describe('built-in GEMM vs a float64 reference', () => {
  afterAll(() => {
    if (load.ok) load.addon.useGemm('builtin'); // the best kernel again
  });

  for (const kernel of KERNELS) {
    const skip = kernelSkip(kernel);
    it.skipIf(skip !== undefined)(
      `${kernel} micro-kernel: odd sizes, every transpose, strided, K = 0/1, threaded${skip ? ` (skipped: ${skip})` : ''}`,
      () => {
        if (!load.ok) return;
        load.addon.useGemm('builtin', kernel);
        products().forEach((p, i) => checkProduct(load.addon, p, 100 + i * 2));
      },
    );
  }
});

for (const { engine, skip } of gemmEngines()) {
  describe(`${engine} GEMM through the batched gemm() entry${skip ? ` (skipped: ${skip})` : ''}`, () => {
    it.skipIf(skip !== undefined)(
      'batched, shared and broadcast operands land in the right output matrices',
      () => {
        if (!load.ok) return;
        load.addon.useGemm(engine as GemmEngine);
        checkBatched(load.addon, [4], [4], false, true);
        checkBatched(load.addon, [3], [], true, false); // one B for every batch
        checkBatched(load.addon, [2, 1], [1, 3], true, true); // offsets (numpy broadcast)
      },
    );
  });
}

/** tf.matMul semantics on one heap: A [...batchA, m, k] times B [...batchB, k, n]. */
function checkBatched(
  addon: NativeAddon,
  batchA: number[],
  batchB: number[],
  transA: boolean,
  transB: boolean,
): void {
  const [m, n, k] = [7, 9, 5];
  const aShape = [...batchA, ...(transA ? [k, m] : [m, k])];
  const bShape = [...batchB, ...(transB ? [n, k] : [k, n])];
  const plan = planMatMul(aShape, bShape, transA, transB)!;
  const size = (shape: number[]) => shape.reduce((x, d) => x * d, 1);
  const heap = new Float32Array(size(aShape) + size(bShape) + plan.batch * m * n);
  heap.set(randomFloats(size(aShape), 1));
  heap.set(randomFloats(size(bShape), 2), size(aShape));
  const cStart = size(aShape) + size(bShape);
  const params = gemmParams({
    plan,
    transposeA: transA,
    transposeB: transB,
    aOffset: 0,
    bOffset: size(aShape) * 4,
    cOffset: cStart * 4,
  });
  addon.gemm(heap.buffer, params, plan.aOffsets, plan.bOffsets);
  for (let batch = 0; batch < plan.batch; batch++) {
    const aAt = plan.aOffsets?.[batch] ?? batch * plan.aStride;
    const bAt = size(aShape) + (plan.bOffsets?.[batch] ?? batch * plan.bStride);
    const p = { m, n, k, transA, transB, pad: 0, alpha: 1, threads: 1 };
    const expected = reference(
      p,
      heap.subarray(aAt),
      transA ? m : k,
      heap.subarray(bAt),
      transB ? k : n,
    );
    const got = heap.subarray(cStart + batch * m * n, cStart + (batch + 1) * m * n);
    expected.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-5));
  }
}

describe('GEMM selection', () => {
  it.skipIf(!load.ok)('refuses matrices that do not fit their arrays', () => {
    if (!load.ok) return;
    const params = Float64Array.from([0, 0, 4, 4, 4, 1, 4, 4, 4, 1]);
    expect(() =>
      load.addon.sgemm(new Float32Array(15), new Float32Array(16), new Float32Array(16), params),
    ).toThrow(/does not fit/);
    expect(() => load.addon.useGemm('builtin', 'sse9' as GemmKernel)).toThrow(
      /unknown GEMM kernel "sse9"/,
    );
  });

  it.skipIf(!load.ok || load.addon.gemmInfo().builtWithOpenblas)(
    'forcing OpenBLAS in an addon built without it fails with the fix (runs only there)',
    () => {
      if (!load.ok) return;
      expect(() => load.addon.useGemm('openblas')).toThrow(
        /built without OpenBLAS \(apt-get install libopenblas-dev/,
      );
    },
  );

  it('reads CURIO_GEMM and rejects anything but builtin or openblas', () => {
    const saved = process.env.CURIO_GEMM;
    try {
      process.env.CURIO_GEMM = 'builtin';
      expect(gemmFromEnvironment()).toBe('builtin');
      delete process.env.CURIO_GEMM;
      expect(gemmFromEnvironment()).toBeUndefined();
      process.env.CURIO_GEMM = 'mkl';
      expect(() => gemmFromEnvironment()).toThrow(
        'CURIO_GEMM must be builtin or openblas, got "mkl"',
      );
    } finally {
      if (saved === undefined) delete process.env.CURIO_GEMM;
      else process.env.CURIO_GEMM = saved;
    }
  });
});

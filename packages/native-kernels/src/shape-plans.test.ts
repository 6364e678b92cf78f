// The pure shape arithmetic behind the kernels (no tfjs, no addon).
import { describe, expect, it } from 'vitest';

import { isAvx512Amd } from './env.js';
import { broadcastShapes, canFoldBatchIntoRows, planMatMul } from './matmul-plan.js';
import { broadcastStrides, collapseDims, normalizeAxes, planReduction } from './strides.js';

describe('planMatMul', () => {
  it('reads M, K, N through the transposes', () => {
    expect(planMatMul([5, 3], [3, 7], false, false)).toMatchObject({
      outShape: [5, 7],
      m: 5,
      k: 3,
      n: 7,
      batch: 1,
    });
    expect(planMatMul([3, 5], [7, 3], true, true)).toMatchObject({
      outShape: [5, 7],
      m: 5,
      k: 3,
      n: 7,
    });
    expect(planMatMul([5, 3], [4, 7], false, false)).toBeUndefined();
  });

  it('strides shared operands and offsets general broadcasts', () => {
    expect(planMatMul([4, 5, 3], [3, 7], false, false)).toMatchObject({
      batch: 4,
      aStride: 15,
      bStride: 0,
    });
    const plan = planMatMul([2, 1, 5, 3], [1, 3, 3, 7], false, false)!;
    expect(plan.outShape).toEqual([2, 3, 5, 7]);
    expect(Array.from(plan.aOffsets!)).toEqual([0, 0, 0, 15, 15, 15]);
    expect(Array.from(plan.bOffsets!)).toEqual([0, 21, 42, 0, 21, 42]);
  });

  it('folds a batch times one shared, untransposed-A product into rows', () => {
    expect(canFoldBatchIntoRows(planMatMul([4, 5, 3], [3, 7], false, false)!, false)).toBe(true);
    expect(canFoldBatchIntoRows(planMatMul([4, 3, 5], [3, 7], true, false)!, true)).toBe(false);
    expect(canFoldBatchIntoRows(planMatMul([4, 5, 3], [4, 3, 7], false, false)!, false)).toBe(
      false,
    );
  });

  it('broadcasts shapes like numpy', () => {
    expect(broadcastShapes([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes([2, 3], [4, 3])).toBeUndefined();
  });
});

describe('strides', () => {
  it('zeroes broadcast dims and merges contiguous runs', () => {
    expect(broadcastStrides([3], [2, 3])).toEqual([0, 1]);
    expect(
      collapseDims(
        [2, 3, 4],
        [
          [12, 4, 1],
          [0, 0, 0],
        ],
      ),
    ).toEqual({ shape: [24], strides: [[1], [0]] });
    expect(
      collapseDims(
        [2, 1, 4],
        [
          [4, 4, 1],
          [1, 0, 0],
        ],
      ),
    ).toEqual({
      shape: [2, 4],
      strides: [
        [4, 1],
        [1, 0],
      ],
    });
    expect(collapseDims([1, 1], [[1, 1]])).toEqual({ shape: [1], strides: [[1]] });
  });

  it('plans reductions over contiguous axis blocks only', () => {
    expect(normalizeAxes(-1, 3)).toEqual([2]);
    expect(normalizeAxes(null, 2)).toEqual([0, 1]);
    expect(planReduction([4, 5, 6], [1])).toEqual({ outer: 4, reduce: 5, inner: 6 });
    expect(planReduction([4, 1, 6], [0, 2])).toEqual({ outer: 1, reduce: 24, inner: 1 });
    expect(planReduction([4, 5, 6], [0, 2])).toBeUndefined();
  });
});

describe('OpenBLAS kernel choice', () => {
  it('wants SkylakeX kernels only on AMD CPUs with AVX-512', () => {
    const flags = 'flags\t\t: fpu sse avx2 avx512f avx512dq avx512cd avx512bw avx512vl';
    expect(isAvx512Amd(`vendor_id\t: AuthenticAMD\n${flags}\n`)).toBe(true);
    expect(isAvx512Amd(`vendor_id\t: GenuineIntel\n${flags}\n`)).toBe(false);
    expect(isAvx512Amd('vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse avx2\n')).toBe(false);
  });
});

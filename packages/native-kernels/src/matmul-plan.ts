// Shape logic of a (batched, possibly broadcast) matmul, reduced to what one
// strided-batch sgemm call needs. Pure: no tfjs, no heap.

export interface MatMulPlan {
  outShape: number[];
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Elements between consecutive batch matrices (0: one matrix shared by all batches). */
  aStride: number;
  bStride: number;
  /** Per-output-batch element offsets, only for broadcasts that strides cannot express. */
  aOffsets?: Int32Array;
  bOffsets?: Int32Array;
}

/** numpy-style broadcast of two shapes, or undefined when incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

function product(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Element offset of each output batch's matrix in an operand with batch shape `shape`. */
function broadcastOffsets(
  shape: readonly number[],
  outBatch: readonly number[],
  matrixSize: number,
): Int32Array {
  const count = product(outBatch);
  const offsets = new Int32Array(count);
  const padded = [...new Array<number>(outBatch.length - shape.length).fill(1), ...shape];
  const strides = new Array<number>(padded.length).fill(0);
  for (let i = padded.length - 1, s = 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 ? 0 : s;
    s *= padded[i]!;
  }
  for (let flat = 0; flat < count; flat++) {
    let rest = flat;
    let index = 0;
    for (let i = outBatch.length - 1; i >= 0; i--) {
      const dim = outBatch[i]!;
      index += (rest % dim) * strides[i]!;
      rest = Math.floor(rest / dim);
    }
    offsets[flat] = index * matrixSize;
  }
  return offsets;
}

/**
 * Plans C = op(A)·op(B) for tfjs BatchMatMul semantics (rank ≥ 2, batch dims broadcast).
 * Returns undefined when the shapes do not multiply (the caller falls back to the stock kernel).
 */
export function planMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulPlan | undefined {
  if (aShape.length < 2 || bShape.length < 2) return undefined;
  const [a0, a1] = aShape.slice(-2) as [number, number];
  const [b0, b1] = bShape.slice(-2) as [number, number];
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const kb = transposeB ? b1 : b0;
  const n = transposeB ? b0 : b1;
  if (k !== kb) return undefined;
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const outBatch = broadcastShapes(batchA, batchB);
  if (!outBatch) return undefined;
  const batch = product(outBatch);
  const plan: MatMulPlan = {
    outShape: [...outBatch, m, n],
    batch,
    m,
    n,
    k,
    aStride: m * k,
    bStride: k * n,
  };
  const sizeA = product(batchA);
  const sizeB = product(batchB);
  if (sizeA === 1) plan.aStride = 0;
  else if (sizeA !== batch) plan.aOffsets = broadcastOffsets(batchA, outBatch, m * k);
  if (sizeB === 1) plan.bStride = 0;
  else if (sizeB !== batch) plan.bOffsets = broadcastOffsets(batchB, outBatch, k * n);
  return plan;
}

/**
 * A [batch, M, K] (not transposed, contiguous) times one shared B is a single
 * [batch·M, K]·B product: one large sgemm instead of many small ones.
 */
export function canFoldBatchIntoRows(plan: MatMulPlan, transposeA: boolean): boolean {
  return (
    plan.batch > 1 &&
    !transposeA &&
    !plan.aOffsets &&
    plan.aStride === plan.m * plan.k &&
    plan.bStride === 0 &&
    !plan.bOffsets
  );
}

export function foldBatchIntoRows(plan: MatMulPlan): MatMulPlan {
  return { ...plan, batch: 1, m: plan.batch * plan.m, aStride: 0, bStride: 0 };
}

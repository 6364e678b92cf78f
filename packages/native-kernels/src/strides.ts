// Stride arithmetic for the layout and elementwise kernels. Pure: no tfjs, no heap.

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let i = shape.length - 1, s = 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Strides of `shape` read as `outShape` under numpy broadcasting (0 on broadcast dims). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = contiguousStrides(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, i) => {
    const d = i - offset;
    return d < 0 || shape[d] === 1 ? 0 : own[d]!;
  });
}

export interface StridedShape {
  shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  strides: number[][];
}

/**
 * Drops size-1 dims and merges neighbours that every operand walks contiguously
 * (stride[i] = stride[i+1]·shape[i+1]), so kernels loop over as few, long dims as possible.
 * Always returns rank ≥ 1.
 */
export function collapseDims(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): StridedShape {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const dim = shape[i]!;
    if (dim === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[i]! * dim);
    if (mergeable) {
      outShape[last] = outShape[last]! * dim;
      strides.forEach((s, k) => (outStrides[k]![last] = s[i]!));
    } else {
      outShape.push(dim);
      strides.forEach((s, k) => outStrides[k]!.push(s[i]!));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [1]) };
  return { shape: outShape, strides: outStrides };
}

/** Normalises tfjs axis params (number, list, negative, null = all). */
export function normalizeAxes(axis: number | number[] | null | undefined, rank: number): number[] {
  if (axis == null) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
}

/**
 * x viewed as [outer, reduce, inner] when the reduced axes (ignoring size-1 dims)
 * form one contiguous block; undefined otherwise.
 */
export function planReduction(
  shape: readonly number[],
  axes: readonly number[],
): { outer: number; reduce: number; inner: number } | undefined {
  const reduced = axes.filter((a) => shape[a] !== 1);
  let outer = 1;
  let reduce = 1;
  let inner = 1;
  if (reduced.length === 0) {
    return { outer: shape.reduce((p, d) => p * d, 1), reduce: 1, inner: 1 };
  }
  const lo = reduced[0]!;
  const hi = reduced[reduced.length - 1]!;
  for (let i = lo; i <= hi; i++) {
    if (shape[i] !== 1 && !reduced.includes(i)) return undefined;
  }
  shape.forEach((d, i) => {
    if (i < lo) outer *= d;
    else if (i > hi) inner *= d;
    else if (reduced.includes(i)) reduce *= d;
  });
  return { outer, reduce, inner };
}

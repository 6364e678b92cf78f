// Transpose, Slice, SplitV, Concat and GatherV2 as strided copies / row gathers on the heap.
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { collapseDims, contiguousStrides } from '../strides.js';
import { heapBuffer, heapOffset, sizeOf, type WasmBackend } from '../wasm-heap.js';
import { withStockFallback } from './with-fallback.js';

function elementBytes(dtype: DataType): number | undefined {
  return dtype === 'float32' || dtype === 'int32' ? 4 : dtype === 'bool' ? 1 : undefined;
}

interface Copy {
  shape: number[];
  srcOffset: number; // bytes
  srcStrides: number[];
  dstOffset: number; // bytes
  dstStrides: number[];
}

/** Runs copies that were planned after every makeOutput (the heap buffer is taken once, here). */
function runCopies(addon: NativeAddon, backend: WasmBackend, bytes: number, copies: Copy[]): void {
  const heap = heapBuffer(backend);
  for (const c of copies) {
    if (sizeOf(c.shape) === 0) continue;
    const { shape, strides } = collapseDims(c.shape, [c.srcStrides, c.dstStrides]);
    addon.stridedCopy(
      heap,
      Float64Array.from([
        bytes,
        c.srcOffset,
        c.dstOffset,
        shape.length,
        ...shape,
        ...strides[0]!,
        ...strides[1]!,
      ]),
    );
  }
}

export function nativeTranspose(
  addon: NativeAddon,
  original: KernelConfig | undefined,
): KernelFunc {
  return withStockFallback('Transpose', original, (args, backend) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { perm } = args.attrs as unknown as { perm: number[] };
    const bytes = elementBytes(x.dtype);
    if (!bytes || perm.length !== x.shape.length) return undefined;
    const outShape = perm.map((p) => x.shape[p]!);
    const inStrides = contiguousStrides(x.shape);
    const out = backend.makeOutput(outShape, x.dtype);
    runCopies(addon, backend, bytes, [
      {
        shape: outShape,
        srcOffset: heapOffset(backend, x),
        srcStrides: perm.map((p) => inStrides[p]!),
        dstOffset: heapOffset(backend, out),
        dstStrides: contiguousStrides(outShape),
      },
    ]);
    return out;
  });
}

/** tfjs slice_util.parseSliceParams: numbers expand, missing dims start at 0, size -1 = to the end. */
export function parseSliceParams(
  shape: readonly number[],
  begin: number | number[],
  size?: number | number[],
) {
  const rank = shape.length;
  const b =
    typeof begin === 'number'
      ? [begin, ...new Array<number>(rank - 1).fill(0)]
      : [...begin, ...new Array<number>(rank - begin.length).fill(0)];
  const s =
    size == null
      ? new Array<number>(rank).fill(-1)
      : typeof size === 'number'
        ? [size, ...new Array<number>(rank - 1).fill(-1)]
        : [...size, ...new Array<number>(rank - size.length).fill(-1)];
  return { begin: b, size: s.map((d, i) => (d >= 0 ? d : shape[i]! - b[i]!)) };
}

export function nativeSlice(addon: NativeAddon, original: KernelConfig | undefined): KernelFunc {
  return withStockFallback('Slice', original, (args, backend) => {
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const bytes = elementBytes(x.dtype);
    if (!bytes) return undefined;
    const { begin, size } = parseSliceParams(x.shape, attrs.begin, attrs.size);
    const strides = contiguousStrides(x.shape);
    const out = backend.makeOutput(size, x.dtype);
    const start = begin.reduce((o, b, i) => o + b * strides[i]!, 0);
    runCopies(addon, backend, bytes, [
      {
        shape: size,
        srcOffset: heapOffset(backend, x) + start * bytes,
        srcStrides: strides,
        dstOffset: heapOffset(backend, out),
        dstStrides: contiguousStrides(size),
      },
    ]);
    return out;
  });
}

function splitSizes(dim: number, numOrSizeSplits: number | number[]): number[] {
  if (typeof numOrSizeSplits === 'number')
    return new Array<number>(numOrSizeSplits).fill(dim / numOrSizeSplits);
  const known = numOrSizeSplits.reduce((t, s) => (s === -1 ? t : t + s), 0);
  return numOrSizeSplits.map((s) => (s === -1 ? dim - known : s));
}

export function nativeSplitV(addon: NativeAddon, original: KernelConfig | undefined): KernelFunc {
  return withStockFallback('SplitV', original, (args, backend) => {
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number | number[];
    };
    const bytes = elementBytes(x.dtype);
    const rawAxis = Array.isArray(attrs.axis) ? attrs.axis[0]! : attrs.axis;
    const axis = rawAxis < 0 ? rawAxis + x.shape.length : rawAxis;
    const sizes = splitSizes(x.shape[axis]!, attrs.numOrSizeSplits);
    if (!bytes || sizes.some((s) => !Number.isInteger(s) || s < 0)) return undefined;
    const outs = sizes.map((s) =>
      backend.makeOutput(
        x.shape.map((d, i) => (i === axis ? s : d)),
        x.dtype,
      ),
    );
    const strides = contiguousStrides(x.shape);
    let start = 0;
    const copies = outs.map((out) => {
      const copy = {
        shape: out.shape,
        srcOffset: heapOffset(backend, x) + start * strides[axis]! * bytes,
        srcStrides: strides,
        dstOffset: heapOffset(backend, out),
        dstStrides: contiguousStrides(out.shape),
      };
      start += out.shape[axis]!;
      return copy;
    });
    runCopies(addon, backend, bytes, copies);
    return outs;
  });
}

export function nativeConcat(addon: NativeAddon, original: KernelConfig | undefined): KernelFunc {
  return withStockFallback('Concat', original, (args, backend) => {
    const inputs = Object.values(args.inputs as Record<string, TensorInfo>);
    const first = inputs[0];
    const { axis: rawAxis } = args.attrs as unknown as { axis: number | number[] };
    if (!first) return undefined;
    const bytes = elementBytes(first.dtype);
    const rank = first.shape.length;
    const axisValue = Array.isArray(rawAxis) ? rawAxis[0]! : rawAxis;
    const axis = axisValue < 0 ? axisValue + rank : axisValue;
    const sameLayout = inputs.every(
      (t) =>
        t.dtype === first.dtype &&
        t.shape.length === rank &&
        t.shape.every((d, i) => i === axis || d === first.shape[i]),
    );
    if (!bytes || !sameLayout || rank === 0) return undefined;
    const outShape = first.shape.map((d, i) =>
      i === axis ? inputs.reduce((t, x) => t + x.shape[axis]!, 0) : d,
    );
    const out = backend.makeOutput(outShape, first.dtype);
    const outStrides = contiguousStrides(outShape);
    let start = 0;
    const copies = inputs.map((t) => {
      const copy = {
        shape: t.shape,
        srcOffset: heapOffset(backend, t),
        srcStrides: contiguousStrides(t.shape),
        dstOffset: heapOffset(backend, out) + start * outStrides[axis]! * bytes,
        dstStrides: outStrides,
      };
      start += t.shape[axis]!;
      return copy;
    });
    runCopies(addon, backend, bytes, copies);
    return out;
  });
}

export function nativePadV2(addon: NativeAddon, original: KernelConfig | undefined): KernelFunc {
  return withStockFallback('PadV2', original, (args, backend) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { paddings, constantValue } = args.attrs as unknown as {
      paddings: [number, number][];
      constantValue: number;
    };
    const bytes = elementBytes(x.dtype);
    if (!bytes || paddings.length !== x.shape.length) return undefined;
    const outShape = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1]);
    const out = backend.makeOutput(outShape, x.dtype);
    backend.typedArrayFromHeap(out).fill(Number(constantValue ?? 0));
    const outStrides = contiguousStrides(outShape);
    const start = paddings.reduce((o, [before], i) => o + before * outStrides[i]!, 0);
    runCopies(addon, backend, bytes, [
      {
        shape: x.shape,
        srcOffset: heapOffset(backend, x),
        srcStrides: contiguousStrides(x.shape),
        dstOffset: heapOffset(backend, out) + start * bytes,
        dstStrides: outStrides,
      },
    ]);
    return out;
  });
}

export function nativeGatherV2(addon: NativeAddon, original: KernelConfig | undefined): KernelFunc {
  return withStockFallback('GatherV2', original, (args, backend) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis: rawAxis, batchDims } = args.attrs as unknown as {
      axis: number;
      batchDims?: number;
    };
    const bytes = elementBytes(x.dtype);
    const axis = rawAxis < 0 ? rawAxis + x.shape.length : rawAxis;
    if (!bytes || indices.dtype !== 'int32' || (batchDims ?? 0) !== 0) return undefined;
    const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const out = backend.makeOutput(outShape, x.dtype);
    if (sizeOf(outShape) === 0) return out;
    const axisSize = x.shape[axis]!;
    const params = Float64Array.of(
      bytes,
      heapOffset(backend, x),
      heapOffset(backend, indices),
      heapOffset(backend, out),
      sizeOf(x.shape.slice(0, axis)),
      axisSize,
      sizeOf(indices.shape),
      sizeOf(x.shape.slice(axis + 1)),
    );
    if (addon.gather(heapBuffer(backend), params) > 0) {
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: an index is out of range [0, ${axisSize - 1}]`);
    }
    return out;
  });
}

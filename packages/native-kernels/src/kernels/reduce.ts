// Sum / Mean / Max / Min / Prod over any contiguous block of axes, without the stock kernel's transpose.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { REDUCE_OPS, type ReduceKernelName } from '../op-codes.js';
import { normalizeAxes, planReduction } from '../strides.js';
import { heapBuffer, heapOffset, sizeOf } from '../wasm-heap.js';
import { withStockFallback } from './with-fallback.js';

interface ReduceAttrs {
  axis?: number | number[];
  reductionIndices?: number | number[]; // Max and Min name it so
  keepDims?: boolean;
}

export function nativeReduce(
  addon: NativeAddon,
  name: ReduceKernelName,
  original: KernelConfig | undefined,
): KernelFunc {
  const op = REDUCE_OPS[name];
  return withStockFallback(name, original, (args, backend) => {
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = (args.attrs ?? {}) as ReduceAttrs;
    if (x.dtype !== 'float32' || sizeOf(x.shape) === 0) return undefined;
    const axes = normalizeAxes(attrs.axis ?? attrs.reductionIndices ?? null, x.shape.length);
    const plan = planReduction(x.shape, axes);
    if (!plan) return undefined;
    const outShape = attrs.keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    const params = Float64Array.of(
      op,
      heapOffset(backend, x),
      heapOffset(backend, out),
      plan.outer,
      plan.reduce,
      plan.inner,
    );
    addon.reduce(heapBuffer(backend), params);
    return out;
  });
}

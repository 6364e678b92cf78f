// Unary and broadcasting binary float32 kernels on the addon (fast exp/tanh/erf, no wasm libm).
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { BINARY_OPS, UNARY_OPS, type BinaryKernelName, type UnaryKernelName } from '../op-codes.js';
import { broadcastShapes } from '../matmul-plan.js';
import { broadcastStrides, collapseDims, contiguousStrides } from '../strides.js';
import { heapBuffer, heapOffset, sizeOf } from '../wasm-heap.js';
import { withStockFallback } from './with-fallback.js';

export function nativeUnary(
  addon: NativeAddon,
  name: UnaryKernelName,
  original: KernelConfig | undefined,
): KernelFunc {
  const op = UNARY_OPS[name];
  return withStockFallback(name, original, (args, backend) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'float32') return undefined;
    const alpha = Number((args.attrs as { alpha?: number } | undefined)?.alpha ?? 0);
    const out = backend.makeOutput(x.shape, 'float32');
    const size = sizeOf(x.shape);
    if (size > 0) {
      addon.unary(
        heapBuffer(backend),
        Float64Array.of(op, heapOffset(backend, x), heapOffset(backend, out), size, alpha),
      );
    }
    return out;
  });
}

export function nativeBinary(
  addon: NativeAddon,
  name: BinaryKernelName,
  original: KernelConfig | undefined,
): KernelFunc {
  const op = BINARY_OPS[name];
  return withStockFallback(name, original, (args, backend) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
    const outShape = broadcastShapes(a.shape, b.shape);
    if (!outShape) return undefined;
    const out = backend.makeOutput(outShape, 'float32');
    if (sizeOf(outShape) === 0) return out;
    const { shape, strides } = collapseDims(outShape, [
      broadcastStrides(a.shape, outShape),
      broadcastStrides(b.shape, outShape),
      contiguousStrides(outShape),
    ]);
    const params = Float64Array.from([
      op,
      heapOffset(backend, a),
      heapOffset(backend, b),
      heapOffset(backend, out),
      shape.length,
      ...shape,
      ...strides[0]!,
      ...strides[1]!,
    ]);
    addon.binary(heapBuffer(backend), params);
    return out;
  });
}

// BatchMatMul: every transpose combination and batch broadcast, zero-copy on the wasm heap,
// on the addon's GEMM (OpenBLAS or the built-in one).
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { gemmParams } from '../gemm-params.js';
import { canFoldBatchIntoRows, foldBatchIntoRows, planMatMul } from '../matmul-plan.js';
import { heapBuffer, heapOffset, sizeOf } from '../wasm-heap.js';
import { withStockFallback } from './with-fallback.js';

export function nativeBatchMatMul(
  addon: NativeAddon,
  original: KernelConfig | undefined,
): KernelFunc {
  return withStockFallback('BatchMatMul', original, (args, backend) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
    let plan = planMatMul(a.shape, b.shape, transposeA, transposeB);
    if (!plan) return undefined;
    const out = backend.makeOutput(plan.outShape, 'float32');
    if (sizeOf(plan.outShape) === 0) return out;
    if (canFoldBatchIntoRows(plan, transposeA)) plan = foldBatchIntoRows(plan);
    const params = gemmParams({
      plan,
      transposeA,
      transposeB,
      aOffset: heapOffset(backend, a),
      bOffset: heapOffset(backend, b),
      cOffset: heapOffset(backend, out),
    });
    addon.gemm(heapBuffer(backend), params, plan.aOffsets, plan.bOffsets);
    return out;
  });
}

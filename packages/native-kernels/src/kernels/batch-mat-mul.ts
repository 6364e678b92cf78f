// BatchMatMul on OpenBLAS: every transpose combination and batch broadcast, zero-copy on the wasm heap.
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { gemmParams } from '../gemm-params.js';
import { canFoldBatchIntoRows, foldBatchIntoRows, planMatMul } from '../matmul-plan.js';
import { heapBuffer, heapOffset, isWasmBackend, sizeOf } from '../wasm-heap.js';

export function nativeBatchMatMul(
  addon: NativeAddon,
  original: KernelConfig | undefined,
): KernelFunc {
  const fallback: KernelFunc = (args) => {
    if (!original) throw new Error('native-kernels: no stock BatchMatMul to fall back on');
    return original.kernelFunc(args);
  };
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    const backend = args.backend;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !isWasmBackend(backend))
      return fallback(args);
    let plan = planMatMul(a.shape, b.shape, transposeA, transposeB);
    if (!plan) return fallback(args);
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
  };
}

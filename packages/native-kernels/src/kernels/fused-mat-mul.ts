// _FusedMatMul on the addon's GEMM: matmul + broadcast bias + any tfjs fused activation
// (linear, relu, relu6, leakyrelu, prelu, sigmoid, elu) in one pass over the output.
import type { _FusedMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

import type { NativeAddon } from '../addon.js';
import { ACTIVATION_CODES, type EpilogueOperand, gemmParams } from '../gemm-params.js';
import {
  canFoldBatchIntoRows,
  foldBatchIntoRows,
  planMatMul,
  type MatMulPlan,
} from '../matmul-plan.js';
import { heapBuffer, heapOffset, sizeOf, type WasmBackend } from '../wasm-heap.js';
import { withStockFallback } from './with-fallback.js';

/**
 * Strides of `operand` broadcast over an output [...batch, M, N], or undefined when
 * the broadcast cannot be expressed as (batch, row, col) strides.
 */
export function epilogueStrides(
  operandShape: readonly number[],
  outShape: readonly number[],
): Omit<EpilogueOperand, 'offset'> | undefined {
  if (operandShape.length > outShape.length) return undefined;
  const padded = [
    ...new Array<number>(outShape.length - operandShape.length).fill(1),
    ...operandShape,
  ];
  if (padded.some((d, i) => d !== 1 && d !== outShape[i])) return undefined;
  const rows = padded[padded.length - 2] ?? 1;
  const cols = padded[padded.length - 1] ?? 1;
  const batchDims = padded.slice(0, -2);
  const outBatchDims = outShape.slice(0, -2);
  let strideBatch: number;
  if (batchDims.every((d) => d === 1)) strideBatch = 0;
  else if (batchDims.every((d, i) => d === outBatchDims[i])) strideBatch = rows * cols;
  else return undefined;
  return { strideBatch, strideRow: rows === 1 ? 0 : cols, strideCol: cols === 1 ? 0 : 1 };
}

function operand(
  backend: WasmBackend,
  t: TensorInfo | undefined,
  outShape: number[],
): EpilogueOperand | null | undefined {
  if (!t) return undefined;
  if (t.dtype !== 'float32') return null;
  const strides = epilogueStrides(t.shape, outShape);
  return strides ? { offset: heapOffset(backend, t), ...strides } : null;
}

function foldable(
  plan: MatMulPlan,
  transposeA: boolean,
  ...operands: (EpilogueOperand | undefined)[]
): boolean {
  return (
    canFoldBatchIntoRows(plan, transposeA) &&
    operands.every((o) => !o || o.strideBatch === plan.m * o.strideRow)
  );
}

export function nativeFusedMatMul(
  addon: NativeAddon,
  original: KernelConfig | undefined,
): KernelFunc {
  return withStockFallback('_FusedMatMul', original, (args, backend) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<
      string,
      TensorInfo | undefined
    >;
    const attrs = args.attrs as unknown as _FusedMatMulAttrs;
    const activation = ACTIVATION_CODES[attrs.activation ?? 'linear'];
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || activation === undefined)
      return undefined;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    let plan = planMatMul(a.shape, b.shape, transposeA, transposeB);
    if (!plan) return undefined;
    const biasOperand = operand(backend, bias, plan.outShape);
    const preluOperand = operand(backend, preluActivationWeights, plan.outShape);
    if (biasOperand === null || preluOperand === null) return undefined;
    if (attrs.activation === 'prelu' && !preluOperand) return undefined;

    const out = backend.makeOutput(plan.outShape, 'float32');
    if (sizeOf(plan.outShape) === 0) return out;
    if (foldable(plan, transposeA, biasOperand, preluOperand)) plan = foldBatchIntoRows(plan);
    const params = gemmParams({
      plan,
      transposeA,
      transposeB,
      aOffset: heapOffset(backend, a),
      bOffset: heapOffset(backend, b),
      cOffset: heapOffset(backend, out),
      activation,
      leakyAlpha: attrs.leakyreluAlpha ?? 0.2,
      bias: biasOperand,
      prelu: preluOperand,
    });
    addon.gemm(heapBuffer(backend), params, plan.aOffsets, plan.bOffsets);
    return out;
  });
}

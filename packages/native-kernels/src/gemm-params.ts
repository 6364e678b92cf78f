// Builds the Float64Array parameter block of the addon's gemm() (layout: native/gemm.h).
import type { MatMulPlan } from './matmul-plan.js';

/** tfjs fused activations, coded as in the wasm backend's FusableActivation enum. */
export const ACTIVATION_CODES: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  prelu: 3,
  leakyrelu: 4,
  sigmoid: 5,
  elu: 6,
};

/** An operand broadcast over the [batch, M, N] output: byte offset + element strides. */
export interface EpilogueOperand {
  offset: number;
  strideBatch: number;
  strideRow: number;
  strideCol: number;
}

export interface GemmCall {
  plan: MatMulPlan;
  transposeA: boolean;
  transposeB: boolean;
  aOffset: number;
  bOffset: number;
  cOffset: number;
  activation?: number;
  leakyAlpha?: number;
  bias?: EpilogueOperand;
  prelu?: EpilogueOperand;
}

const PARAM_COUNT = 21;

function writeOperand(
  params: Float64Array,
  first: number,
  operand: EpilogueOperand | undefined,
): void {
  if (!operand) {
    params[first] = -1;
    return;
  }
  params[first] = operand.offset;
  params[first + 1] = operand.strideBatch;
  params[first + 2] = operand.strideRow;
  params[first + 3] = operand.strideCol;
}

export function gemmParams(call: GemmCall): Float64Array {
  const { plan } = call;
  const p = new Float64Array(PARAM_COUNT);
  p.set([plan.batch, plan.m, plan.n, plan.k, call.transposeA ? 1 : 0, call.transposeB ? 1 : 0]);
  p.set([call.aOffset, call.bOffset, call.cOffset, plan.aStride, plan.bStride], 6);
  p[11] = call.activation ?? 0;
  p[12] = call.leakyAlpha ?? 0;
  writeOperand(p, 13, call.bias);
  writeOperand(p, 17, call.prelu);
  return p;
}

// Matmuls with a transposed operand, as the backward passes need them, and a linear layer with
// a hand-written backward built on them.
//
// Stock tfjs-wasm runs a plain 2-D A·B at ~30 GFLOP/s but A·Bᵀ or Aᵀ·B at 1.5–3.5 GFLOP/s,
// while a transpose costs ~3 ms per million floats: there, transposing explicitly first is
// 10–20× faster. With native kernels (or on other backends) the transpose flags are free.
// The plan is 'explicit' while wasm runs its stock BatchMatMul (recognised by its function name
// in tfjs-backend-wasm's Node bundle), 'flags' otherwise (Curio's native kernels, cpu, GPUs);
// backend selection can fix it with `setMatmulPlan`.
import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-op.js';
import { nativeReductions } from './fused.js';

export type MatmulPlan = 'flags' | 'explicit';

let override: MatmulPlan | null = null;
const STOCK_WASM_MATMUL = 'batchMatMul';

/** Force a plan (e.g. from backend selection), or null to go back to the automatic choice. */
export function setMatmulPlan(plan: MatmulPlan | null): void {
  override = plan;
}

export function matmulPlan(): MatmulPlan {
  if (override) return override;
  const backend = tf.getBackend();
  if (backend !== 'wasm') return 'flags';
  return tf.getKernel('BatchMatMul', backend)?.kernelFunc.name === STOCK_WASM_MATMUL
    ? 'explicit'
    : 'flags';
}

/** aᵀ·b for 2-D a [K, M], b [K, N]. */
export function matMulTA(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return (
    matmulPlan() === 'explicit'
      ? tf.matMul(tf.transpose(a) as tf.Tensor2D, b as tf.Tensor2D)
      : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false)
  ) as tf.Tensor2D;
}

/** a·bᵀ for 2-D a [M, K], b [N, K]. */
export function matMulTB(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return (
    matmulPlan() === 'explicit'
      ? tf.matMul(a as tf.Tensor2D, tf.transpose(b) as tf.Tensor2D)
      : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true)
  ) as tf.Tensor2D;
}

/**
 * Σ over rows of a 2-D tensor. The native Sum reduces the outer axis in one pass; stock tfjs
 * transposes first (14 ms vs 0.5 ms for 8320×512 on wasm, 105 vs 9 ms on cpu), so there it is
 * a [1, R]·[R, C] matmul (which OpenBLAS, in turn, runs at under 1 GFLOP/s).
 */
export function colSum(t: tf.Tensor): tf.Tensor1D {
  if (nativeReductions()) return tf.sum(t, 0) as tf.Tensor1D;
  const [rows, cols] = t.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([1, rows]), t as tf.Tensor2D), [cols]);
}

/** Backward of y = x·W + b: [∂L/∂x, ∂L/∂W, ∂L/∂b]. */
export function denseBackward(
  x: tf.Tensor,
  w: tf.Tensor,
  dy: tf.Tensor,
): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] {
  return [matMulTB(dy, w), matMulTA(x, dy), colSum(dy)];
}

/**
 * Backward of out = y·W + b where y = x̂·γ + β is a layer norm's output that was not kept:
 * [∂L/∂y, ∂L/∂W, ∂L/∂b], with ∂L/∂W = diag(γ)·x̂ᵀ·dOut + β ⊗ Σrows dOut (exact; it spares
 * recomputing y, two activation-sized passes).
 */
export function normalizedDenseBackward(
  xhat: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  w: tf.Tensor,
  dOut: tf.Tensor,
): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] {
  const dBias = colSum(dOut);
  const width = gamma.shape[0]!;
  const dW = tf.add(
    tf.mul(matMulTA(xhat, dOut), tf.reshape(gamma, [width, 1])),
    tf.matMul(tf.reshape(beta, [width, 1]), tf.reshape(dBias, [1, -1])),
  ) as tf.Tensor2D;
  return [matMulTB(dOut, w), dW, dBias];
}

export interface LinearOptions {
  /** Whether x needs a gradient (false for model inputs such as image patches). */
  inputGrad?: boolean;
}

/** y = x·W (+ b) on 2-D x, differentiable w.r.t. W, b and (unless told otherwise) x. */
export function linear(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b?: tf.Tensor1D,
  options: LinearOptions = {},
): tf.Tensor2D {
  const inputGrad = options.inputGrad ?? true;
  const forward = (x0: tf.Tensor) =>
    b ? tf.fused.matMul({ a: x0 as tf.Tensor2D, b: w, bias: b }) : tf.matMul(x0 as tf.Tensor2D, w);
  const params = b ? [w, b] : [w];
  if (inputGrad) {
    const op = customOp(([x0], save) => {
      save([x0!]);
      return {
        value: forward(x0!),
        gradFunc: (dy, [xs]) => {
          const [dx, dw, db] = denseBackward(xs!, w, dy);
          return b ? [dx, dw, db] : [dx, dw];
        },
      };
    });
    return op(x, ...params) as tf.Tensor2D;
  }
  const op = customOp((_, save) => {
    save([x]);
    return {
      value: forward(x),
      gradFunc: (dy, [xs]) => (b ? [matMulTA(xs!, dy), colSum(dy)] : [matMulTA(xs!, dy)]),
    };
  });
  return op(...params) as tf.Tensor2D;
}

// Small differentiable pieces on 2-D [rows, width] activations and the math the fused blocks
// share: layer-norm and GELU forward/backward, a dense forward as one (fused-bias) matMul.
// Layer norm and GELU run as one native kernel each where @curio/native-kernels provides them
// (wasm + OpenBLAS), as composed tfjs ops elsewhere.
import * as tf from '@tensorflow/tfjs';
import { customOp, type Custom } from './custom-op.js';
import { fusedOps } from './fused.js';
import { colSum } from './matmul.js';

/** x̂ = (x − mean)·rstd over the last axis, and rstd = 1/√(var + eps). */
export function normalize(x: tf.Tensor, eps: number): { xhat: tf.Tensor; rstd: tf.Tensor } {
  const { mean, variance } = tf.moments(x, -1, true);
  const rstd = tf.rsqrt(tf.add(variance, eps));
  return { xhat: tf.mul(tf.sub(x, mean), rstd), rstd };
}

/** ∂L/∂x from ∂L/∂x̂: rstd·(d − mean(d) − x̂·mean(d·x̂)). */
export function normalizeBackward(dxhat: tf.Tensor, xhat: tf.Tensor, rstd: tf.Tensor): tf.Tensor {
  const meanD = tf.mean(dxhat, -1, true);
  const meanDX = tf.mean(tf.mul(dxhat, xhat), -1, true);
  return tf.mul(tf.sub(tf.sub(dxhat, meanD), tf.mul(xhat, meanDX)), rstd);
}

export interface LayerNormForward {
  /** x̂·γ + β */
  y: tf.Tensor;
  xhat: tf.Tensor;
  /** [rows, 1] */
  rstd: tf.Tensor;
}

/** y = x̂·γ + β, with x̂ and rstd for the backward. */
export function layerNormForward(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): LayerNormForward {
  const fused = fusedOps();
  if (fused) return fused.layerNorm(x, gamma, beta, eps);
  const { xhat, rstd } = normalize(x, eps);
  return { y: tf.add(tf.mul(xhat, gamma), beta), xhat, rstd };
}

/** Gradients of layerNormForward from ∂L/∂y and the saved x̂, rstd. */
export function layerNormBackward(
  dy: tf.Tensor,
  xhat: tf.Tensor,
  rstd: tf.Tensor,
  gamma: tf.Tensor,
): { dx: tf.Tensor; dgamma: tf.Tensor; dbeta: tf.Tensor } {
  const fused = fusedOps();
  if (fused) return fused.layerNormGrad(dy, xhat, rstd, gamma);
  return {
    dx: normalizeBackward(tf.mul(dy, gamma), xhat, rstd),
    dgamma: colSum(tf.mul(dy, xhat)),
    dbeta: colSum(dy),
  };
}

const layerNormOps = new Map<number, Custom>();

/** Layer norm over the last axis of a 2-D tensor, with a hand-written gradient. */
export function layerNorm(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): tf.Tensor2D {
  let op = layerNormOps.get(eps);
  if (!op) {
    op = customOp(([x, g, b], save) => {
      const { y, xhat, rstd } = layerNormForward(x!, g!, b!, eps);
      save([xhat, rstd, g!]);
      return {
        value: y,
        gradFunc: (dy, [xh, rs, gs]) => {
          const { dx, dgamma, dbeta } = layerNormBackward(dy, xh!, rs!, gs!);
          return [dx, dgamma, dbeta];
        },
      };
    });
    layerNormOps.set(eps, op);
  }
  return op(x, gamma, beta) as tf.Tensor2D;
}

export const GELU_K = 1.702;

/** GELU by the sigmoid approximation: x·σ(1.702x). */
export function gelu(x: tf.Tensor): tf.Tensor {
  const fused = fusedOps();
  return fused ? fused.geluSigmoid(x, GELU_K) : geluForward(x).out;
}

/** ∂L/∂x of gelu from ∂L/∂y and x. */
export function geluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const fused = fusedOps();
  return fused ? fused.geluSigmoidGrad(dy, x, GELU_K) : geluBackward(dy, x, geluForward(x).sig);
}

/** GELU by the sigmoid approximation: x·σ(1.702x). Returns σ(1.702x) too. */
export function geluForward(x: tf.Tensor): { out: tf.Tensor; sig: tf.Tensor } {
  const sig = tf.sigmoid(tf.mul(x, GELU_K));
  return { out: tf.mul(x, sig), sig };
}

/** ∂L/∂x = dy·σ(kx)·(1 + k·x·(1 − σ(kx))). */
export function geluBackward(dy: tf.Tensor, x: tf.Tensor, sig: tf.Tensor): tf.Tensor {
  return tf.mul(dy, tf.mul(sig, tf.add(tf.mul(tf.mul(x, tf.sub(1, sig)), GELU_K), 1)));
}

/** x·W (+ b) as one matMul kernel. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  return (b ? tf.fused.matMul({ a: x, b: w, bias: b }) : tf.matMul(x, w)) as tf.Tensor2D;
}

// Small differentiable pieces on 2-D [rows, width] activations and the math the fused blocks
// share: layer-norm and GELU forward/backward, a dense forward as one (fused-bias) matMul.
import * as tf from '@tensorflow/tfjs';
import { customOp, type Custom } from './custom-op.js';
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
      const { xhat, rstd } = normalize(x!, eps);
      save([xhat, rstd, g!]);
      return {
        value: tf.add(tf.mul(xhat, g!), b!),
        gradFunc: (dy, [xh, rs, gs]) => [
          normalizeBackward(tf.mul(dy, gs!), xh!, rs!),
          colSum(tf.mul(dy, xh!)),
          colSum(dy),
        ],
      };
    });
    layerNormOps.set(eps, op);
  }
  return op(x, gamma, beta) as tf.Tensor2D;
}

export const GELU_K = 1.702;

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

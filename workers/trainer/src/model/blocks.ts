// The two residual halves of a pre-LN transformer block as single differentiable ops with
// hand-written backward passes:
//   attention: x + Wo·MHA(LN(x)),   mlp: x + W2·GELU(W1·LN(x)).
// Each keeps only the activations its backward needs (about 10 floats per token and width per
// block, plus the attention weights) and frees its backward temporaries at once; tfjs autograd
// would keep every intermediate and every intermediate gradient until the step ends.
import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-op.js';
import { dense, gelu, geluGrad, layerNormBackward, layerNormForward } from './layers.js';
import { denseBackward, normalizedDenseBackward } from './matmul.js';

export interface AttentionParams {
  lnG: tf.Tensor1D;
  lnB: tf.Tensor1D;
  qkvW: tf.Tensor2D;
  qkvB: tf.Tensor1D;
  outW: tf.Tensor2D;
  outB: tf.Tensor1D;
}

export interface MlpParams {
  lnG: tf.Tensor1D;
  lnB: tf.Tensor1D;
  fcW: tf.Tensor2D;
  fcB: tf.Tensor1D;
  projW: tf.Tensor2D;
  projB: tf.Tensor1D;
}

export interface SequenceShape {
  batch: number;
  length: number;
  heads: number;
}

/**
 * x [B·L, W] → x + attention(LN(x)). One fused qkv matmul; heads as batched matmuls over
 * [B·H, L, dh]. `keyMask`: additive [B, 1, 1, L] (0 for real keys, very negative for padding) or null.
 */
export function attentionResidual(
  x: tf.Tensor2D,
  p: AttentionParams,
  shape: SequenceShape,
  keyMask: tf.Tensor4D | null,
  eps: number,
): tf.Tensor2D {
  const { batch: b, length: l, heads: h } = shape;
  const rows = b * l;
  const w = x.shape[1];
  const dh = w / h;
  const scale = 1 / Math.sqrt(dh);
  const op = customOp(([x0], save) => {
    const { y, xhat, rstd } = layerNormForward(x0!, p.lnG, p.lnB, eps);
    const qkv = tf.transpose(tf.reshape(dense(y as tf.Tensor2D, p.qkvW, p.qkvB), [b, l, 3 * h, dh]), [0, 2, 1, 3]); // [B, 3H, L, dh]
    const part = (i: number) =>
      tf.reshape(tf.slice(qkv, [0, i * h, 0, 0], [b, h, l, dh]), [b * h, l, dh]) as tf.Tensor3D;
    const q = tf.mul(part(0), scale) as tf.Tensor3D;
    const k = part(1);
    const v = part(2);
    let scores: tf.Tensor = tf.matMul(q, k, false, true); // [B·H, L, L]
    if (keyMask)
      scores = tf.reshape(tf.add(tf.reshape(scores, [b, h, l, l]), keyMask), [b * h, l, l]);
    const probs = tf.softmax(scores) as tf.Tensor3D;
    const o = tf.matMul(probs, v); // [B·H, L, dh]
    const merged = tf.reshape(tf.transpose(tf.reshape(o, [b, h, l, dh]), [0, 2, 1, 3]), [
      rows,
      w,
    ]) as tf.Tensor2D;
    save([xhat, rstd, q, k, v, probs, merged]);
    return {
      value: tf.add(x0!, dense(merged, p.outW, p.outB)),
      gradFunc: (dy, [xh, rs, qs, ks, vs, ps, ms]) => {
        const [dMerged, dOutW, dOutB] = denseBackward(ms!, p.outW, dy);
        const dO = tf.reshape(tf.transpose(tf.reshape(dMerged, [b, l, h, dh]), [0, 2, 1, 3]), [
          b * h,
          l,
          dh,
        ]) as tf.Tensor3D;
        const dP = tf.matMul(dO, vs as tf.Tensor3D, false, true);
        const dV = tf.matMul(ps as tf.Tensor3D, dO, true, false);
        const dS = tf.mul(ps!, tf.sub(dP, tf.sum(tf.mul(dP, ps!), -1, true))) as tf.Tensor3D;
        const dQ = tf.mul(tf.matMul(dS, ks as tf.Tensor3D), scale);
        const dK = tf.matMul(dS, qs as tf.Tensor3D, true, false);
        const heads4 = (t: tf.Tensor) => tf.reshape(t, [b, h, l, dh]);
        const dQkv = tf.reshape(
          tf.transpose(tf.concat([heads4(dQ), heads4(dK), heads4(dV)], 1), [0, 2, 1, 3]),
          [rows, 3 * w],
        );
        const [dY, dQkvW, dQkvB] = normalizedDenseBackward(xh!, p.lnG, p.lnB, p.qkvW, dQkv);
        return [...residualLayerNormGrads(dy, dY, xh!, rs!, p.lnG), dQkvW, dQkvB, dOutW, dOutB];
      },
    };
  });
  return op(x, p.lnG, p.lnB, p.qkvW, p.qkvB, p.outW, p.outB) as tf.Tensor2D;
}

/** x [B·L, W] → x + W2·GELU(W1·LN(x) + b1) + b2. Saves x̂, rstd and the pre-activation only. */
export function mlpResidual(x: tf.Tensor2D, p: MlpParams, eps: number): tf.Tensor2D {
  const op = customOp(([x0], save) => {
    const { y, xhat, rstd } = layerNormForward(x0!, p.lnG, p.lnB, eps);
    const pre = dense(y as tf.Tensor2D, p.fcW, p.fcB);
    save([xhat, rstd, pre]);
    return {
      value: tf.add(x0!, dense(gelu(pre) as tf.Tensor2D, p.projW, p.projB)),
      gradFunc: (dy, [xh, rs, pr]) => {
        const act = gelu(pr!); // recomputed rather than kept: one element-wise pass
        const [dAct, dProjW, dProjB] = denseBackward(act, p.projW, dy);
        const dPre = geluGrad(dAct, pr!);
        const [dY, dFcW, dFcB] = normalizedDenseBackward(xh!, p.lnG, p.lnB, p.fcW, dPre);
        return [...residualLayerNormGrads(dy, dY, xh!, rs!, p.lnG), dFcW, dFcB, dProjW, dProjB];
      },
    };
  });
  return op(x, p.lnG, p.lnB, p.fcW, p.fcB, p.projW, p.projB) as tf.Tensor2D;
}

/** [∂L/∂x, ∂L/∂γ, ∂L/∂β] of x + f(LN(x)), from ∂L/∂out (dy) and ∂L/∂LN(x) (dY). */
function residualLayerNormGrads(
  dy: tf.Tensor,
  dY: tf.Tensor,
  xhat: tf.Tensor,
  rstd: tf.Tensor,
  gamma: tf.Tensor,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const { dx, dgamma, dbeta } = layerNormBackward(dY, xhat, rstd, gamma);
  return [tf.add(dy, dx), dgamma, dbeta];
}

// The two residual halves of a pre-LN transformer block as single differentiable ops with
// hand-written backward passes (layer norm, GELU and the attention heads run as native fused
// kernels where @curio/native-kernels provides them, as composed tfjs ops elsewhere):
//   attention: x + Wo·MHA(LN(x)),   mlp: x + W2·GELU(W1·LN(x)).
// Each keeps only the activations its backward needs (about 10 floats per token and width per
// block, plus the attention weights) and frees its backward temporaries at once; tfjs autograd
// would keep every intermediate and every intermediate gradient until the step ends.
import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-op.js';
import { multiHead } from './heads.js';
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
 * x [B·L, W] → x + attention(LN(x)). One fused qkv matmul, then the heads (./heads.ts).
 * `keyMask`: additive [B, 1, 1, L] (0 for real keys, very negative for padding) or null.
 */
export function attentionResidual(
  x: tf.Tensor2D,
  p: AttentionParams,
  shape: SequenceShape,
  keyMask: tf.Tensor4D | null,
  eps: number,
): tf.Tensor2D {
  const heads = multiHead(shape, p.qkvW.shape[1] / 3, keyMask);
  const op = customOp(([x0], save) => {
    const { y, xhat, rstd } = layerNormForward(x0!, p.lnG, p.lnB, eps);
    const { merged, saved } = heads.forward(dense(y as tf.Tensor2D, p.qkvW, p.qkvB));
    save([xhat, rstd, merged, ...saved]);
    return {
      value: tf.add(x0!, dense(merged, p.outW, p.outB)),
      gradFunc: (dy, [xh, rs, ms, ...hs]) => {
        const [dMerged, dOutW, dOutB] = denseBackward(ms!, p.outW, dy);
        const dQkv = heads.backward(dMerged, hs);
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

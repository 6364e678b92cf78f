// TokenLearner v1.1 (METHODS.md §4; the authors' reference code): a sequence of L tokens [B·L, W]
// becomes K learned tokens [B·K, W]. LayerNorm → MLP (64-wide bottleneck, GELU) → K scores per
// position → softmax over positions (masked positions get no weight) → each output token is the
// weighted sum of the input tokens (not their normalised form). One differentiable op with a
// hand-written backward, like the blocks: layer norm and GELU run as native fused kernels where
// @curio/native-kernels provides them, the matmuls on the backend's GEMM.
import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-op.js';
import { dense, gelu, geluGrad, layerNormBackward, layerNormForward } from './layers.js';
import { denseBackward, normalizedDenseBackward } from './matmul.js';
import type { ParamStore } from './params.js';

/** The MLP's hidden size (the reference code's `bottleneck_dim`). */
export const TOKEN_LEARNER_BOTTLENECK = 64;

export interface SequenceLayout {
  batch: number;
  /** Positions per sequence. */
  length: number;
  /** Additive mask [B, 1, L] (0 for real positions, very negative for padding), or null. */
  positionMask: tf.Tensor3D | null;
}

export class TokenLearner {
  private readonly lnG: tf.Tensor1D;
  private readonly lnB: tf.Tensor1D;
  private readonly fcW: tf.Tensor2D;
  private readonly fcB: tf.Tensor1D;
  private readonly scoreW: tf.Tensor2D;

  constructor(
    store: ParamStore,
    /** e.g. `image/token_learner` */
    prefix: string,
    width: number,
    readonly tokens: number,
    private readonly eps: number,
  ) {
    const hidden = TOKEN_LEARNER_BOTTLENECK;
    const zeros = { kind: 'const', value: 0 } as const;
    this.lnG = store.create(
      `${prefix}/ln/g`,
      [width],
      { kind: 'const', value: 1 },
      'norm',
    ) as tf.Tensor1D;
    this.lnB = store.create(`${prefix}/ln/b`, [width], zeros, 'norm') as tf.Tensor1D;
    // LeCun-normal weights (the reference's flax Dense default), zero bias. The scores have no
    // bias: one constant per output token, added at every position, is cancelled by the softmax
    // over positions (its gradient is zero).
    this.fcW = store.create(
      `${prefix}/fc/w`,
      [width, hidden],
      { kind: 'normal', std: width ** -0.5 },
      'weight',
    ) as tf.Tensor2D;
    this.fcB = store.create(`${prefix}/fc/b`, [hidden], zeros, 'bias') as tf.Tensor1D;
    this.scoreW = store.create(
      `${prefix}/score/w`,
      [hidden, tokens],
      { kind: 'normal', std: hidden ** -0.5 },
      'weight',
    ) as tf.Tensor2D;
  }

  /** The attention maps [B, K, L]: per output token, a softmax over the input positions. */
  maps(x: tf.Tensor2D, layout: SequenceLayout): tf.Tensor3D {
    return tf.tidy(() => this.forward(x, layout).maps);
  }

  /** x [B·L, W] → the K learned tokens [B·K, W]. */
  apply(x: tf.Tensor2D, layout: SequenceLayout): tf.Tensor2D {
    const { batch: b, length: l } = layout;
    const [k, w] = [this.tokens, x.shape[1]];
    const op = customOp(([x0], save) => {
      const { maps, xhat, rstd, pre } = this.forward(x0 as tf.Tensor2D, layout);
      save([x0!, xhat, rstd, pre, maps]);
      const x3 = tf.reshape(x0!, [b, l, w]) as tf.Tensor3D;
      return {
        value: tf.reshape(tf.matMul(maps, x3), [b * k, w]),
        gradFunc: (dy, [xs, xh, rs, pr, ms]) => {
          const dy3 = tf.reshape(dy, [b, k, w]) as tf.Tensor3D;
          const maps3 = ms as tf.Tensor3D;
          const dMaps = tf.matMul(dy3, tf.reshape(xs!, [b, l, w]) as tf.Tensor3D, false, true);
          const dxSum = tf.reshape(tf.matMul(maps3, dy3, true, false), [b * l, w]);
          // softmax backward over positions, then back to one row of K scores per position
          const dLogits = tf.mul(maps3, tf.sub(dMaps, tf.sum(tf.mul(dMaps, maps3), -1, true)));
          const dScores = tf.reshape(tf.transpose(dLogits, [0, 2, 1]), [b * l, k]);
          const [dAct, dScoreW] = denseBackward(gelu(pr!), this.scoreW, dScores);
          const dPre = geluGrad(dAct, pr!);
          const [dY, dFcW, dFcB] = normalizedDenseBackward(xh!, this.lnG, this.lnB, this.fcW, dPre);
          const { dx, dgamma, dbeta } = layerNormBackward(dY, xh!, rs!, this.lnG);
          return [tf.add(dxSum, dx), dgamma, dbeta, dFcW, dFcB, dScoreW];
        },
      };
    });
    return op(x, this.lnG, this.lnB, this.fcW, this.fcB, this.scoreW) as tf.Tensor2D;
  }

  private forward(x: tf.Tensor2D, { batch: b, length: l, positionMask }: SequenceLayout) {
    const { y, xhat, rstd } = layerNormForward(x, this.lnG, this.lnB, this.eps);
    const pre = dense(y as tf.Tensor2D, this.fcW, this.fcB);
    const scores = dense(gelu(pre) as tf.Tensor2D, this.scoreW); // [B·L, K]
    let logits: tf.Tensor = tf.transpose(tf.reshape(scores, [b, l, this.tokens]), [0, 2, 1]);
    if (positionMask) logits = tf.add(logits, positionMask);
    return { maps: tf.softmax(logits) as tf.Tensor3D, xhat, rstd, pre };
  }
}

// InfoNCE on L2-normalised embeddings: a pure function of (I, T, logit scale, targets).
// logits = scale·I·Tᵀ; symmetric = ½(CE(logits, Y) + CE(logitsᵀ, Yᵀ)); image-to-text = CE(logits, Y).
// CE(Z, Y) = −(1/rows)·Σᵢ Σⱼ Yᵢⱼ·log softmax(Zᵢ)ⱼ; Y defaults to the identity (hard targets).
import * as tf from '@tensorflow/tfjs';

export type LossDirection = 'symmetric' | 'image-to-text';

export interface ContrastiveOptions {
  direction?: LossDirection;
  /** Soft targets [N_I, N_T] (rows sum to 1; columns too for the symmetric loss). Identity when absent. */
  targets?: tf.Tensor2D;
}

function targetsOf(rows: number, cols: number, targets: tf.Tensor2D | undefined): tf.Tensor2D {
  if (targets) {
    if (targets.shape[0] !== rows || targets.shape[1] !== cols) {
      throw new Error(`targets must be [${rows}, ${cols}], got [${targets.shape.join(', ')}]`);
    }
    return targets;
  }
  if (rows !== cols)
    throw new Error(`hard targets need as many images as texts (${rows} vs ${cols})`);
  return tf.eye(rows) as tf.Tensor2D;
}

function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.div(
    tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)))),
    logits.shape[0],
  ) as tf.Scalar;
}

/** The contrastive loss (differentiable with tf.grads / tf.variableGrads). */
export function contrastiveLoss(
  images: tf.Tensor2D,
  texts: tf.Tensor2D,
  logitScale: tf.Scalar | number,
  options: ContrastiveOptions = {},
): tf.Scalar {
  return tf.tidy(() => {
    const y = targetsOf(images.shape[0], texts.shape[0], options.targets);
    const logits = tf.mul(tf.matMul(images, texts, false, true), logitScale) as tf.Tensor2D;
    const i2t = crossEntropy(logits, y);
    if (options.direction === 'image-to-text') return i2t;
    const t2i = crossEntropy(tf.transpose(logits), tf.transpose(y));
    return tf.mul(tf.add(i2t, t2i), 0.5) as tf.Scalar;
  });
}

export interface ContrastiveGrads {
  loss: tf.Scalar;
  /** ∂L/∂I [N_I, d]. */
  dImages: tf.Tensor2D;
  /** ∂L/∂T [N_T, d]. */
  dTexts: tf.Tensor2D;
  /** ∂L/∂scale (the scale itself, not its log). */
  dScale: tf.Scalar;
}

/**
 * The loss and its gradients in closed form (METHODS.md §2, DGA step 3), generalised to soft
 * targets and one direction. With P = softmax(Z) and Q = softmax(Zᵀ) by row:
 * ∂CE(Z, Y)/∂Z = (P·rowsum(Y) − Y)/N_I, so symmetric ∂L/∂Z = ½[(P·rs(Y) − Y)/N_I + ((Q·rs(Yᵀ) − Yᵀ)/N_T)ᵀ]
 * (= (P + Qᵀ − 2Y)/(2N) for square, doubly-stochastic Y); then ∂L/∂I = s·∂L/∂Z·T,
 * ∂L/∂T = s·(∂L/∂Z)ᵀ·I and ∂L/∂s = Σ ∂L/∂Z ⊙ I·Tᵀ.
 */
export function contrastiveLossAndGrads(
  images: tf.Tensor2D,
  texts: tf.Tensor2D,
  logitScale: tf.Scalar | number,
  options: ContrastiveOptions = {},
): ContrastiveGrads {
  const [ni, nt] = [images.shape[0], texts.shape[0]];
  return tf.tidy(() => {
    const y = targetsOf(ni, nt, options.targets);
    const sim = tf.matMul(images, texts, false, true);
    const logits = tf.mul(sim, logitScale) as tf.Tensor2D;
    const logP = tf.logSoftmax(logits);
    const i2tLoss = tf.div(tf.neg(tf.sum(tf.mul(y, logP))), ni);
    const dI2t = tf.div(tf.sub(tf.mul(tf.exp(logP), tf.sum(y, 1, true)), y), ni);
    let loss: tf.Tensor = i2tLoss;
    let dLogits: tf.Tensor = dI2t;
    if (options.direction !== 'image-to-text') {
      const yt = tf.transpose(y);
      const logQ = tf.logSoftmax(tf.transpose(logits));
      const t2iLoss = tf.div(tf.neg(tf.sum(tf.mul(yt, logQ))), nt);
      const dT2i = tf.div(tf.sub(tf.mul(tf.exp(logQ), tf.sum(yt, 1, true)), yt), nt);
      loss = tf.mul(tf.add(i2tLoss, t2iLoss), 0.5);
      dLogits = tf.mul(tf.add(dI2t, tf.transpose(dT2i)), 0.5);
    }
    const dSim = tf.mul(dLogits, logitScale) as tf.Tensor2D;
    return {
      loss: loss as tf.Scalar,
      dImages: tf.matMul(dSim, texts) as tf.Tensor2D,
      dTexts: tf.matMul(dSim, images, true, false) as tf.Tensor2D,
      dScale: tf.sum(tf.mul(dLogits, sim)) as tf.Scalar,
    };
  });
}

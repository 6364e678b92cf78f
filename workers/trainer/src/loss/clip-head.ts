// From the towers' projected embeddings to the loss: text-side mixup (on projected embeddings,
// before normalising), L2 normalisation, contrastive loss with (soft) targets. Two forms of the
// same function: differentiable by tape, and closed-form gradients w.r.t. the raw embeddings
// (what decoupled gradient accumulation caches between its two passes).
import * as tf from '@tensorflow/tfjs';
import { contrastiveLoss, contrastiveLossAndGrads, type LossDirection } from './contrastive.js';
import { mixupTargets, mixWithReversed, type Mixup } from './mixup.js';
import { l2Normalize, l2NormalizeBackward } from './normalize.js';

export interface HeadOptions {
  direction: LossDirection;
  /** This step's mixup; the image side must already be mixed in pixel space by the caller. */
  mixup?: Mixup;
}

/** Loss from raw image and text embeddings [N, d] (differentiable). */
export function clipHeadLoss(
  imageEmb: tf.Tensor2D,
  textEmb: tf.Tensor2D,
  logitScale: tf.Scalar | number,
  options: HeadOptions,
): tf.Scalar {
  return tf.tidy(() => {
    const { mixup } = options;
    const texts = mixup?.side === 'text' ? mixWithReversed(textEmb, mixup.lambda) : textEmb;
    const targets = mixup ? mixupTargets(imageEmb.shape[0], mixup.lambda) : undefined;
    return contrastiveLoss(l2Normalize(imageEmb), l2Normalize(texts), logitScale, {
      direction: options.direction,
      ...(targets ? { targets } : {}),
    });
  });
}

export interface HeadGrads {
  loss: tf.Scalar;
  /** ∂L/∂(raw image embeddings) [N, d]. */
  dImageEmb: tf.Tensor2D;
  /** ∂L/∂(raw text embeddings, before mixup) [N, d]. */
  dTextEmb: tf.Tensor2D;
  /** ∂L/∂(logit scale). */
  dScale: tf.Scalar;
}

/** The same loss with its gradients in closed form. */
export function clipHeadGrads(
  imageEmb: tf.Tensor2D,
  textEmb: tf.Tensor2D,
  logitScale: tf.Scalar | number,
  options: HeadOptions,
): HeadGrads {
  return tf.tidy(() => {
    const { mixup } = options;
    const mixText = mixup?.side === 'text';
    const texts = mixText ? mixWithReversed(textEmb, mixup.lambda) : textEmb;
    const targets = mixup ? mixupTargets(imageEmb.shape[0], mixup.lambda) : undefined;
    const g = contrastiveLossAndGrads(l2Normalize(imageEmb), l2Normalize(texts), logitScale, {
      direction: options.direction,
      ...(targets ? { targets } : {}),
    });
    const dTexts = l2NormalizeBackward(texts, g.dTexts);
    return {
      loss: g.loss,
      dImageEmb: l2NormalizeBackward(imageEmb, g.dImages),
      dTextEmb: mixText ? mixWithReversed(dTexts, mixup.lambda) : dTexts,
      dScale: g.dScale,
    };
  });
}

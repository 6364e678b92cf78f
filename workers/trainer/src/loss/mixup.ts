// ZeroVL coin-flipping mixup (METHODS.md §2): each step draw λ ~ Beta(α, α) and a side; mix
// that side with the batch reversed, x̃ᵢ = λ·xᵢ + (1−λ)·x_{B−1−i}, and train on soft targets.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '@curio/random';

export type MixupSide = 'image' | 'text';

export interface Mixup {
  lambda: number;
  /** image: mix pixels, texts clean; text: mix projected text embeddings (before normalising), images clean. */
  side: MixupSide;
}

/** Draw λ ~ Beta(α, α), then flip the coin (heads = image). Two draws from `rng`, in that order. */
export function drawMixup(rng: Rng, alpha = 0.1): Mixup {
  const lambda = rng.beta(alpha, alpha);
  const side: MixupSide = rng.next() < 0.5 ? 'image' : 'text';
  return { lambda, side };
}

/**
 * λ·x + (1−λ)·reverse(x) along the batch axis (any rank). The map is symmetric (its own
 * adjoint), so it also carries gradients back: ∂L/∂x = mixWithReversed(∂L/∂x̃, λ).
 */
export function mixWithReversed<T extends tf.Tensor>(x: T, lambda: number): T {
  return tf.tidy(() => tf.add(tf.mul(x, lambda), tf.mul(tf.reverse(x, 0), 1 - lambda)) as T);
}

/**
 * Soft targets [B, B]: λ on (i, i) and 1−λ on (i, B−1−i), for both directions (the matrix is
 * symmetric). When B is odd the middle sample is its own mirror and gets λ + (1−λ) = 1.
 */
export function mixupTargets(batch: number, lambda: number): tf.Tensor2D {
  const y = new Float32Array(batch * batch);
  for (let i = 0; i < batch; i++) {
    y[i * batch + i]! += lambda;
    y[i * batch + (batch - 1 - i)]! += 1 - lambda;
  }
  return tf.tensor2d(y, [batch, batch]);
}

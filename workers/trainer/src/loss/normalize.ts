// Row-wise L2 normalisation and its exact backward (for gradients cached outside a tape).
import * as tf from '@tensorflow/tfjs';

const EPS = 1e-12;

/** e / ‖e‖ by row, with ‖e‖ = √(Σe² + 1e-12). */
export function l2Normalize(e: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(
    () => tf.mul(e, tf.rsqrt(tf.add(tf.sum(tf.square(e), 1, true), EPS))) as tf.Tensor2D,
  );
}

/** ∂L/∂e from ∂L/∂u for u = l2Normalize(e): (g − u·⟨u, g⟩)/‖e‖. */
export function l2NormalizeBackward(e: tf.Tensor2D, dUnit: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const inv = tf.rsqrt(tf.add(tf.sum(tf.square(e), 1, true), EPS));
    const u = tf.mul(e, inv);
    return tf.mul(tf.sub(dUnit, tf.mul(u, tf.sum(tf.mul(u, dUnit), 1, true))), inv) as tf.Tensor2D;
  });
}

// tf.customGrad with usable types.
import * as tf from '@tensorflow/tfjs';

export type GradFn = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
export type Saver = (tensors: tf.Tensor[]) => void;
export type Custom = (...args: tf.Tensor[]) => tf.Tensor;

/**
 * tf.customGrad with usable types: f receives the inputs and a save function and returns the
 * value and a gradient function (run in a tidy, so its temporaries are freed at once).
 * Parameters may be read through closures; activations needed later must be saved.
 */
export function customOp(
  f: (inputs: tf.Tensor[], save: Saver) => { value: tf.Tensor; gradFunc: GradFn },
): Custom {
  const wrapped = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as Saver;
    const { value, gradFunc } = f(args as tf.Tensor[], save);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => gradFunc(dy, saved)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return wrapped as unknown as Custom;
}

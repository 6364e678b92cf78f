// A tower's head: the final layer norm and the projection into the shared embedding space (what
// `trainable: head` trains).
import type * as tf from '@tensorflow/tfjs';
import type { ParamStore } from './params.js';

export interface TowerHead {
  lnG: tf.Tensor1D;
  lnB: tf.Tensor1D;
  projW: tf.Tensor2D;
}

export function createHead(
  store: ParamStore,
  tower: 'image' | 'text',
  width: number,
  embedDim: number,
): TowerHead {
  return {
    lnG: store.create(
      `${tower}/ln_final/g`,
      [width],
      { kind: 'const', value: 1 },
      'norm',
    ) as tf.Tensor1D,
    lnB: store.create(
      `${tower}/ln_final/b`,
      [width],
      { kind: 'const', value: 0 },
      'norm',
    ) as tf.Tensor1D,
    projW: store.create(
      `${tower}/proj/w`,
      [width, embedDim],
      { kind: 'normal', std: width ** -0.5 },
      'weight',
    ) as tf.Tensor2D,
  };
}

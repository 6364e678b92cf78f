// A stack of pre-LN transformer blocks on a [B·L, W] residual stream:
// x += attn(LN(x)); x += MLP(LN(x)). Initialisation follows CLIP/open_clip. The attention width
// A = heads · headDim is W unless a grown config sets headDim (qkv [W, 3A], out [A, W]).
import type * as tf from '@tensorflow/tfjs';
import { attentionResidual, mlpResidual, type AttentionParams, type MlpParams } from './blocks.js';
import { attentionWidth } from './config.js';
import type { ParamStore } from './params.js';

export interface TransformerShape {
  width: number;
  depth: number;
  heads: number;
  /** Size of each head; absent: width / heads. */
  headDim?: number | undefined;
  mlpRatio: number;
}

interface BlockParams {
  attn: AttentionParams;
  mlp: MlpParams;
}

export class Transformer {
  private readonly blocks: BlockParams[] = [];

  constructor(
    store: ParamStore,
    prefix: string,
    private readonly shape: TransformerShape,
    private readonly eps: number,
  ) {
    const { width: w, depth, mlpRatio } = shape;
    const a = attentionWidth(shape);
    const hidden = Math.round(w * mlpRatio);
    const attnStd = w ** -0.5;
    const projStd = w ** -0.5 * (2 * Math.max(depth, 1)) ** -0.5;
    const fcStd = (2 * w) ** -0.5;
    const zeros = { kind: 'const', value: 0 } as const;
    const ones = { kind: 'const', value: 1 } as const;
    for (let i = 0; i < depth; i++) {
      const p = `${prefix}/blocks/${i}`;
      this.blocks.push({
        attn: {
          lnG: store.create(`${p}/ln1/g`, [w], ones, 'norm') as tf.Tensor1D,
          lnB: store.create(`${p}/ln1/b`, [w], zeros, 'norm') as tf.Tensor1D,
          qkvW: store.create(
            `${p}/attn/qkv/w`,
            [w, 3 * a],
            { kind: 'normal', std: attnStd },
            'weight',
          ) as tf.Tensor2D,
          qkvB: store.create(`${p}/attn/qkv/b`, [3 * a], zeros, 'bias') as tf.Tensor1D,
          outW: store.create(
            `${p}/attn/out/w`,
            [a, w],
            { kind: 'normal', std: projStd },
            'weight',
          ) as tf.Tensor2D,
          outB: store.create(`${p}/attn/out/b`, [w], zeros, 'bias') as tf.Tensor1D,
        },
        mlp: {
          lnG: store.create(`${p}/ln2/g`, [w], ones, 'norm') as tf.Tensor1D,
          lnB: store.create(`${p}/ln2/b`, [w], zeros, 'norm') as tf.Tensor1D,
          fcW: store.create(
            `${p}/mlp/fc/w`,
            [w, hidden],
            { kind: 'normal', std: fcStd },
            'weight',
          ) as tf.Tensor2D,
          fcB: store.create(`${p}/mlp/fc/b`, [hidden], zeros, 'bias') as tf.Tensor1D,
          projW: store.create(
            `${p}/mlp/proj/w`,
            [hidden, w],
            { kind: 'normal', std: projStd },
            'weight',
          ) as tf.Tensor2D,
          projB: store.create(`${p}/mlp/proj/b`, [w], zeros, 'bias') as tf.Tensor1D,
        },
      });
    }
  }

  /**
   * x: [B·L, W]; keyMask: additive [B, 1, 1, L] or null. Runs blocks [from, to) (all by default:
   * a tower with a token learner runs its blocks in two parts, on L and then on K tokens).
   */
  apply(
    x: tf.Tensor2D,
    batch: number,
    length: number,
    keyMask: tf.Tensor4D | null,
    from = 0,
    to = this.blocks.length,
  ): tf.Tensor2D {
    const shape = { batch, length, heads: this.shape.heads };
    for (const b of this.blocks.slice(from, to)) {
      x = attentionResidual(x, b.attn, shape, keyMask, this.eps);
      x = mlpResidual(x, b.mlp, this.eps);
    }
    return x;
  }
}

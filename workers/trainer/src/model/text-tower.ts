// Transformer text tower: token + positional embedding, pre-LN blocks whose attention never
// looks at padding (id 0), pooling over real tokens only (their mean, or the end-of-text token,
// i.e. the last non-padding position), final LN on the pooled vector, linear projection.
import * as tf from '@tensorflow/tfjs';
import type { TextTowerConfig } from './config.js';
import { embeddingLookup } from './embedding.js';
import { layerNorm } from './layers.js';
import { linear } from './matmul.js';
import type { ParamStore } from './params.js';
import { Transformer } from './transformer.js';

export type TextPooling = 'eot' | 'mean';

export const PAD_ID = 0;
const MASKED = -1e9;

export class TextTower {
  private readonly tokEmb: tf.Tensor2D;
  private readonly pos: tf.Tensor2D;
  private readonly lnG: tf.Tensor1D;
  private readonly lnB: tf.Tensor1D;
  private readonly projW: tf.Tensor2D;
  private readonly blocks: Transformer;

  constructor(
    store: ParamStore,
    private readonly cfg: TextTowerConfig,
    embedDim: number,
    private readonly eps: number,
    private readonly pooling: TextPooling,
  ) {
    const w = cfg.width;
    this.tokEmb = store.create('text/tok_emb', [cfg.vocab, w], { kind: 'normal', std: 0.02 }, 'embedding') as tf.Tensor2D;
    this.pos = store.create('text/pos_emb', [cfg.context, w], { kind: 'normal', std: 0.01 }, 'embedding') as tf.Tensor2D;
    this.blocks = new Transformer(store, 'text', cfg, eps);
    this.lnG = store.create('text/ln_final/g', [w], { kind: 'const', value: 1 }, 'norm') as tf.Tensor1D;
    this.lnB = store.create('text/ln_final/b', [w], { kind: 'const', value: 0 }, 'norm') as tf.Tensor1D;
    this.projW = store.create('text/proj/w', [w, embedDim], { kind: 'normal', std: w ** -0.5 }, 'weight') as tf.Tensor2D;
  }

  /** tokens: int32 [B, L ≤ context], right-padded with 0 → projected embeddings [B, embedDim]. */
  apply(tokens: tf.Tensor2D): tf.Tensor2D {
    const [batch, length] = tokens.shape;
    const { context, width: w } = this.cfg;
    if (length > context) throw new Error(`text tower takes at most ${context} tokens, got ${length}`);
    if (tokens.dtype !== 'int32') throw new Error(`text tower expects int32 tokens, got ${tokens.dtype}`);
    return tf.tidy(() => {
      const emb = embeddingLookup(this.tokEmb, tf.reshape(tokens, [batch * length]) as tf.Tensor1D);
      const pos = length === context ? this.pos : tf.slice(this.pos, [0, 0], [length, w]);
      let x = tf.reshape(tf.add(tf.reshape(emb, [batch, length, w]), pos), [batch * length, w]) as tf.Tensor2D;
      const real = tf.cast(tf.notEqual(tokens, PAD_ID), 'float32'); // [B, L]
      const keyMask = tf.reshape(tf.mul(tf.sub(1, real), MASKED), [batch, 1, 1, length]) as tf.Tensor4D;
      x = this.blocks.apply(x, batch, length, keyMask);
      const weights = this.pooling === 'mean' ? tf.div(real, tf.maximum(tf.sum(real, 1, true), 1)) : lastReal(real as tf.Tensor2D);
      const pooled = tf.sum(tf.mul(tf.reshape(x, [batch, length, w]), tf.reshape(weights, [batch, length, 1])), 1);
      return linear(layerNorm(pooled as tf.Tensor2D, this.lnG, this.lnB, this.eps), this.projW);
    });
  }
}

/** One-hot [B, L] of each row's last real position (the end-of-text token). */
function lastReal(real: tf.Tensor2D): tf.Tensor2D {
  const length = real.shape[1];
  const fromEnd = tf.argMax(tf.reverse(real, 1), 1); // first real position counted from the end
  return tf.oneHot(tf.sub(tf.scalar(length - 1, 'int32'), fromEnd) as tf.Tensor1D, length, 1, 0, 'float32') as tf.Tensor2D;
}

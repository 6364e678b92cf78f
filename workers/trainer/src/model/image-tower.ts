// ViT image tower: patch embedding as reshape + one matmul (no conv), class token or mean
// pooling, learned positional embedding, pre-LN blocks, final LN on the pooled token, linear
// projection to the embedding size. Shared blocks, when the model has them, run after the tower's
// own blocks.
import * as tf from '@tensorflow/tfjs';
import { imageTokens, type ImageTowerConfig } from './config.js';
import { layerNorm } from './layers.js';
import { linear } from './matmul.js';
import { createHead } from './head.js';
import type { ParamStore } from './params.js';
import { Transformer } from './transformer.js';

export class ImageTower {
  private readonly patchW: tf.Tensor2D;
  private readonly cls: tf.Tensor2D | null;
  private readonly pos: tf.Tensor2D;
  private readonly lnG: tf.Tensor1D;
  private readonly lnB: tf.Tensor1D;
  private readonly projW: tf.Tensor2D;
  private readonly blocks: Transformer;
  private readonly tokens: number;

  constructor(
    store: ParamStore,
    private readonly cfg: ImageTowerConfig,
    embedDim: number,
    private readonly eps: number,
    /** Shared blocks run after this tower's own (see `SharedBlocksConfig`), or null. */
    private readonly shared: Transformer | null = null,
  ) {
    const w = cfg.width;
    const fanIn = cfg.patch * cfg.patch * cfg.channels;
    this.tokens = imageTokens(cfg);
    // PyTorch's default conv/linear init: U(±1/√fan_in).
    this.patchW = store.create(
      'image/patch/w',
      [fanIn, w],
      { kind: 'uniform', limit: fanIn ** -0.5 },
      'weight',
    ) as tf.Tensor2D;
    this.cls =
      cfg.pool === 'cls'
        ? (store.create(
            'image/cls',
            [1, w],
            { kind: 'normal', std: w ** -0.5 },
            'embedding',
          ) as tf.Tensor2D)
        : null;
    this.pos = store.create(
      'image/pos_emb',
      [this.tokens, w],
      { kind: 'normal', std: w ** -0.5 },
      'embedding',
    ) as tf.Tensor2D;
    this.blocks = new Transformer(store, 'image', cfg, eps);
    ({ lnG: this.lnG, lnB: this.lnB, projW: this.projW } = createHead(store, 'image', w, embedDim));
  }

  /** images: NHWC float32 [B, size, size, channels] → projected embeddings [B, embedDim]. */
  apply(images: tf.Tensor4D): tf.Tensor2D {
    const { size, patch: p, channels: c, width: w } = this.cfg;
    const [batch, h, wd, ch] = images.shape;
    if (h !== size || wd !== size || ch !== c) {
      throw new Error(
        `image tower expects [B, ${size}, ${size}, ${c}] images, got [${images.shape.join(', ')}]`,
      );
    }
    return tf.tidy(() => {
      const g = size / p;
      const n = g * g;
      const length = this.tokens;
      // [B·g, p, g, p·C] → [B·g, g, p, p·C] → one row of p·p·C pixels per patch
      const rows = tf.reshape(
        tf.transpose(tf.reshape(images, [batch * g, p, g, p * c]), [0, 2, 1, 3]),
        [batch * n, p * p * c],
      );
      let x3: tf.Tensor = tf.reshape(
        linear(rows as tf.Tensor2D, this.patchW, undefined, { inputGrad: false }),
        [batch, n, w],
      );
      let pos: tf.Tensor = this.pos;
      if (this.cls) {
        x3 = tf.pad(x3, [
          [0, 0],
          [1, 0],
          [0, 0],
        ]);
        pos = tf.add(
          pos,
          tf.pad(this.cls, [
            [0, length - 1],
            [0, 0],
          ]),
        );
      }
      let x = tf.reshape(tf.add(x3, pos), [batch * length, w]) as tf.Tensor2D;
      x = this.blocks.apply(x, batch, length, null);
      if (this.shared) x = this.shared.apply(x, batch, length, null);
      const seq = tf.reshape(x, [batch, length, w]);
      const pooled = (
        this.cls ? tf.reshape(tf.slice(seq, [0, 0, 0], [batch, 1, w]), [batch, w]) : tf.mean(seq, 1)
      ) as tf.Tensor2D;
      return linear(layerNorm(pooled, this.lnG, this.lnB, this.eps), this.projW);
    });
  }
}

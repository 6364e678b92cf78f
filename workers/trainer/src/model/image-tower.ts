// ViT image tower: patch embedding as reshape + one matmul (no conv), class token or mean
// pooling, learned positional embedding, pre-LN blocks, final LN on the pooled token, linear
// projection to the embedding size. With a token learner, the patch tokens after block `at` become
// K learned tokens (the class token passes through unchanged) and every later block runs on them.
// Shared blocks, when the model has them, run after the tower's own blocks.
import * as tf from '@tensorflow/tfjs';
import { imageTokens, type ImageTowerConfig } from './config.js';
import { layerNorm } from './layers.js';
import { linear } from './matmul.js';
import { createHead } from './head.js';
import type { TokenSequence, TowerOutput } from './joint.js';
import type { ParamStore } from './params.js';
import { TokenLearner } from './token-learner.js';
import { Transformer } from './transformer.js';

export class ImageTower {
  private readonly patchW: tf.Tensor2D;
  private readonly cls: tf.Tensor2D | null;
  private readonly pos: tf.Tensor2D;
  private readonly lnG: tf.Tensor1D;
  private readonly lnB: tf.Tensor1D;
  private readonly projW: tf.Tensor2D;
  private readonly blocks: Transformer;
  private readonly learner: TokenLearner | null;
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
    this.learner = cfg.tokenLearner
      ? new TokenLearner(store, 'image/token_learner', w, cfg.tokenLearner.tokens, eps)
      : null;
    ({ lnG: this.lnG, lnB: this.lnB, projW: this.projW } = createHead(store, 'image', w, embedDim));
  }

  /** images: NHWC float32 [B, size, size, channels] → projected embeddings [B, embedDim]. */
  apply(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.encode(images).embedding);
  }

  /**
   * The embeddings and the token sequence they pool (after the tower's blocks and the shared
   * blocks; the class token first if any; never masked). Call inside a tidy scope.
   */
  encode(images: tf.Tensor4D): TowerOutput {
    const sequence = this.sequence(images);
    return { sequence, embedding: this.pool(sequence) };
  }

  private sequence(images: tf.Tensor4D): TokenSequence {
    const { size, patch: p, channels: c, width: w } = this.cfg;
    const [batch, h, wd, ch] = images.shape;
    if (h !== size || wd !== size || ch !== c) {
      throw new Error(
        `image tower expects [B, ${size}, ${size}, ${c}] images, got [${images.shape.join(', ')}]`,
      );
    }
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
    const at = this.cfg.tokenLearner?.at ?? this.cfg.depth;
    x = this.blocks.apply(x, batch, length, null, 0, at);
    let tokens = length;
    if (this.learner) ({ x, tokens } = this.reduce(x, batch, length));
    x = this.blocks.apply(x, batch, tokens, null, at);
    if (this.shared) x = this.shared.apply(x, batch, tokens, null);
    return { x, layout: { batch, length: tokens, positionMask: null } };
  }

  /** The class token, or the mean of the tokens → final layer norm → projection. */
  private pool({ x, layout: { batch, length } }: TokenSequence): tf.Tensor2D {
    const w = this.cfg.width;
    const seq = tf.reshape(x, [batch, length, w]);
    const pooled = (
      this.cls ? tf.reshape(tf.slice(seq, [0, 0, 0], [batch, 1, w]), [batch, w]) : tf.mean(seq, 1)
    ) as tf.Tensor2D;
    return linear(layerNorm(pooled, this.lnG, this.lnB, this.eps), this.projW);
  }

  /** [B·L, W] → the learned tokens of the patches, after the class token if there is one. */
  private reduce(x: tf.Tensor2D, batch: number, length: number) {
    const learner = this.learner!;
    const w = this.cfg.width;
    const k = learner.tokens;
    if (!this.cls) return { x: learner.apply(x, { batch, length, positionMask: null }), tokens: k };
    const seq = tf.reshape(x, [batch, length, w]);
    const patches = tf.reshape(tf.slice(seq, [0, 1, 0], [batch, length - 1, w]), [
      batch * (length - 1),
      w,
    ]) as tf.Tensor2D;
    const learned = learner.apply(patches, { batch, length: length - 1, positionMask: null });
    const joined = tf.concat(
      [tf.slice(seq, [0, 0, 0], [batch, 1, w]), tf.reshape(learned, [batch, k, w])],
      1,
    );
    return { x: tf.reshape(joined, [batch * (k + 1), w]) as tf.Tensor2D, tokens: k + 1 };
  }
}

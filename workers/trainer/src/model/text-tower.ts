// Transformer text tower: token + positional embedding, pre-LN blocks whose attention never
// looks at padding (id 0), pooling over real tokens only (their mean, or the end-of-text token,
// i.e. the last non-padding position), final LN on the pooled vector, linear projection. Shared
// blocks, when the model has them, run after the tower's own blocks (padding still masked).
// With a token learner, the positions after block `at` become K learned tokens (padding gets no
// weight, so none of them holds any); every later block runs on them, unmasked, and the tower
// pools by their mean (the end-of-text position is gone, and each learned token is already a
// learned weighting of real tokens, so their mean is a learned pooling over real tokens).
import * as tf from '@tensorflow/tfjs';
import type { TextTowerConfig } from './config.js';
import { embeddingLookup } from './embedding.js';
import { layerNorm } from './layers.js';
import { linear } from './matmul.js';
import { createHead } from './head.js';
import type { TokenSequence, TowerOutput } from './joint.js';
import type { ParamStore } from './params.js';
import { TokenLearner } from './token-learner.js';
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
  private readonly learner: TokenLearner | null;

  constructor(
    store: ParamStore,
    private readonly cfg: TextTowerConfig,
    embedDim: number,
    private readonly eps: number,
    private readonly pooling: TextPooling,
    /** Shared blocks run after this tower's own (see `SharedBlocksConfig`), or null. */
    private readonly shared: Transformer | null = null,
  ) {
    const w = cfg.width;
    this.tokEmb = store.create(
      'text/tok_emb',
      [cfg.vocab, w],
      { kind: 'normal', std: 0.02 },
      'embedding',
    ) as tf.Tensor2D;
    this.pos = store.create(
      'text/pos_emb',
      [cfg.context, w],
      { kind: 'normal', std: 0.01 },
      'embedding',
    ) as tf.Tensor2D;
    this.blocks = new Transformer(store, 'text', cfg, eps);
    this.learner = cfg.tokenLearner
      ? new TokenLearner(store, 'text/token_learner', w, cfg.tokenLearner.tokens, eps)
      : null;
    if (this.learner && pooling === 'eot')
      throw new Error(
        'eot text pooling needs the end-of-text position, which the text token learner pools away: use mean',
      );
    ({ lnG: this.lnG, lnB: this.lnB, projW: this.projW } = createHead(store, 'text', w, embedDim));
  }

  /**
   * tokens: int32 [B, L ≤ context], right-padded with 0 → projected embeddings [B, embedDim].
   * Trailing columns that are padding in every row are dropped first (exact: padding is never
   * attended to nor pooled), so short captions cost less.
   */
  apply(tokens: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.encode(tokens).embedding);
  }

  /**
   * The embeddings and the token sequence they pool (after the tower's blocks and the shared
   * blocks), padding masked in its `positionMask`; after a token learner its K tokens, unmasked.
   * Call inside a tidy scope.
   */
  encode(tokens: tf.Tensor2D): TowerOutput {
    const { sequence, poolWeights } = this.sequence(tokens);
    return { sequence, embedding: this.pool(sequence, poolWeights) };
  }

  /** The sequence, and the pooling weights over its positions (null: the mean of K tokens). */
  private sequence(tokens: tf.Tensor2D): {
    sequence: TokenSequence;
    poolWeights: Float32Array | null;
  } {
    const [batch, length] = tokens.shape;
    const { context, width: w } = this.cfg;
    if (length > context)
      throw new Error(`text tower takes at most ${context} tokens, got ${length}`);
    if (tokens.dtype !== 'int32')
      throw new Error(`text tower expects int32 tokens, got ${tokens.dtype}`);
    const layout = paddingLayout(tokens.dataSync() as Int32Array, batch, length, this.pooling);
    const used = layout.used;
    const ids = used === length ? tokens : tf.slice(tokens, [0, 0], [batch, used]);
    const emb = embeddingLookup(this.tokEmb, tf.reshape(ids, [batch * used]) as tf.Tensor1D);
    const pos = used === context ? this.pos : tf.slice(this.pos, [0, 0], [used, w]);
    let x = tf.reshape(tf.add(tf.reshape(emb, [batch, used, w]), pos), [
      batch * used,
      w,
    ]) as tf.Tensor2D;
    const keyMask = layout.hasPadding ? tf.tensor4d(layout.keyMask, [batch, 1, 1, used]) : null;
    if (this.learner) {
      x = this.learnedTokens(x, batch, used, keyMask);
      const k = this.learner.tokens;
      return {
        sequence: { x, layout: { batch, length: k, positionMask: null } },
        poolWeights: null,
      };
    }
    x = this.blocks.apply(x, batch, used, keyMask);
    if (this.shared) x = this.shared.apply(x, batch, used, keyMask);
    const positionMask = keyMask && (tf.reshape(keyMask, [batch, 1, used]) as tf.Tensor3D);
    return {
      sequence: { x, layout: { batch, length: used, positionMask } },
      poolWeights: layout.poolWeights,
    };
  }

  /** Weighted by the padding layout (or the mean of K learned tokens) → final LN → projection. */
  private pool({ x, layout }: TokenSequence, poolWeights: Float32Array | null): tf.Tensor2D {
    const { batch, length } = layout;
    const seq = tf.reshape(x, [batch, length, this.cfg.width]);
    const pooled = poolWeights
      ? tf.sum(tf.mul(seq, tf.tensor3d(poolWeights, [batch, length, 1])), 1)
      : tf.mean(seq, 1);
    return linear(layerNorm(pooled as tf.Tensor2D, this.lnG, this.lnB, this.eps), this.projW);
  }

  /** Blocks up to `at` on every position, the token learner, the rest (and shared) on K tokens. */
  private learnedTokens(
    x: tf.Tensor2D,
    batch: number,
    used: number,
    keyMask: tf.Tensor4D | null,
  ): tf.Tensor2D {
    const learner = this.learner!;
    const at = this.cfg.tokenLearner!.at;
    const k = learner.tokens;
    x = this.blocks.apply(x, batch, used, keyMask, 0, at);
    const positionMask = keyMask && (tf.reshape(keyMask, [batch, 1, used]) as tf.Tensor3D);
    x = learner.apply(x, { batch, length: used, positionMask });
    x = this.blocks.apply(x, batch, k, null, at);
    return this.shared ? this.shared.apply(x, batch, k, null) : x;
  }
}

interface PaddingLayout {
  /** Columns up to the last real token of any row. */
  used: number;
  hasPadding: boolean;
  /** Additive attention mask [B·used]: 0 for real keys, very negative for padding. */
  keyMask: Float32Array;
  /** Pooling weights [B·used]: 1/n on the n real tokens (mean), or 1 on the last real one (eot). */
  poolWeights: Float32Array;
}

function paddingLayout(
  ids: Int32Array,
  batch: number,
  length: number,
  pooling: TextPooling,
): PaddingLayout {
  const last = new Int32Array(batch).fill(-1);
  const count = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) {
      if (ids[b * length + t] !== PAD_ID) {
        last[b] = t;
        count[b]! += 1;
      }
    }
  }
  const used = Math.max(1, ...last.map((t) => t + 1));
  const keyMask = new Float32Array(batch * used);
  const poolWeights = new Float32Array(batch * used);
  let hasPadding = false;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < used; t++) {
      const real = ids[b * length + t] !== PAD_ID;
      if (!real) {
        keyMask[b * used + t] = MASKED;
        hasPadding = true;
      } else if (pooling === 'mean') poolWeights[b * used + t] = 1 / count[b]!;
    }
    if (pooling === 'eot' && last[b]! >= 0) poolWeights[b * used + last[b]!] = 1;
  }
  return { used, hasPadding, keyMask, poolWeights };
}

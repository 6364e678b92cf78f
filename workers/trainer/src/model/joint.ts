// Joint reduction (METHODS.md §4; module, K and placement ours): the token sequences the two
// towers end with, image i's and text i's, are concatenated into one sequence per pair (text
// padding masked out), then `stages` times: a token learner reduces it to K tokens, one
// transformer block runs on them. The K tokens of the last stage are the pair's compact joint
// representation; their mean → layer norm → a linear map gives the pair's match logit.
// Its parameters (`joint/…`) are its own: the dual-encoder path never runs them, so image and
// text embeddings stay independent of each other with the module on.
import * as tf from '@tensorflow/tfjs';
import type { BlockShape, JointConfig } from './config.js';
import { layerNorm } from './layers.js';
import { linear } from './matmul.js';
import type { ParamStore } from './params.js';
import { TokenLearner, type SequenceLayout } from './token-learner.js';
import { Transformer } from './transformer.js';

/** A batch of token sequences [B·L, W] with its layout (padding masked in `positionMask`). */
export interface TokenSequence {
  x: tf.Tensor2D;
  layout: SequenceLayout;
}

/** What a tower computes: its projected embeddings [B, d] and the token sequence they pool. */
export interface TowerOutput {
  embedding: tf.Tensor2D;
  sequence: TokenSequence;
}

/** Image tokens then text tokens, per pair: [B·(Li + Lt), W]; image positions are never masked. */
export function concatSequences(image: TokenSequence, text: TokenSequence): TokenSequence {
  const batch = image.layout.batch;
  if (text.layout.batch !== batch)
    throw new Error(
      `joint pairs need as many texts as images, got ${text.layout.batch} and ${batch}`,
    );
  const [li, lt] = [image.layout.length, text.layout.length];
  const w = image.x.shape[1];
  const x = tf.concat([tf.reshape(image.x, [batch, li, w]), tf.reshape(text.x, [batch, lt, w])], 1);
  const textMask = text.layout.positionMask;
  const positionMask =
    textMask && (tf.concat([tf.zeros([batch, 1, li]), textMask], 2) as tf.Tensor3D);
  return {
    x: tf.reshape(x, [batch * (li + lt), w]) as tf.Tensor2D,
    layout: { batch, length: li + lt, positionMask },
  };
}

/** The sequences of the given rows (e.g. a negative's image or text), in that order. */
export function gatherSequence(seq: TokenSequence, rows: readonly number[]): TokenSequence {
  const { batch, length, positionMask } = seq.layout;
  const w = seq.x.shape[1];
  const index = tf.tensor1d(rows as number[], 'int32');
  const x = tf.gather(tf.reshape(seq.x, [batch, length, w]), index);
  return {
    x: tf.reshape(x, [rows.length * length, w]) as tf.Tensor2D,
    layout: {
      batch: rows.length,
      length,
      positionMask: positionMask && (tf.gather(positionMask, index) as tf.Tensor3D),
    },
  };
}

export class JointReducer {
  private readonly learners: TokenLearner[];
  private readonly blocks: Transformer;
  private readonly lnG: tf.Tensor1D;
  private readonly lnB: tf.Tensor1D;
  private readonly scoreW: tf.Tensor2D;
  private readonly scoreB: tf.Tensor1D;

  constructor(
    store: ParamStore,
    readonly config: JointConfig,
    blocks: BlockShape,
    private readonly eps: number,
  ) {
    const w = blocks.width;
    this.learners = Array.from(
      { length: config.stages },
      (_, i) => new TokenLearner(store, `joint/token_learner/${i}`, w, config.tokens, eps),
    );
    this.blocks = new Transformer(store, 'joint', { ...blocks, depth: config.stages }, eps);
    const zeros = { kind: 'const', value: 0 } as const;
    this.lnG = store.create(
      'joint/ln_final/g',
      [w],
      { kind: 'const', value: 1 },
      'norm',
    ) as tf.Tensor1D;
    this.lnB = store.create('joint/ln_final/b', [w], zeros, 'norm') as tf.Tensor1D;
    this.scoreW = store.create(
      'joint/score/w',
      [w, 1],
      { kind: 'normal', std: w ** -0.5 },
      'weight',
    ) as tf.Tensor2D;
    this.scoreB = store.create('joint/score/b', [1], zeros, 'bias') as tf.Tensor1D;
  }

  /** What the first stage looks at: its attention maps [B, K, Li + Lt] over the joint sequence. */
  maps(image: TokenSequence, text: TokenSequence): tf.Tensor3D {
    return tf.tidy(() => {
      const { x, layout } = concatSequences(image, text);
      return this.learners[0]!.maps(x, layout);
    });
  }

  /** The joint representation of pairs (image row i with text row i): [B·K, W]. */
  represent(image: TokenSequence, text: TokenSequence): tf.Tensor2D {
    let { x, layout } = concatSequences(image, text);
    const k = this.config.tokens;
    this.learners.forEach((learner, stage) => {
      x = learner.apply(x, layout);
      layout = { batch: layout.batch, length: k, positionMask: null };
      x = this.blocks.apply(x, layout.batch, k, null, stage, stage + 1);
    });
    return x;
  }

  /** The match logit of each pair: [B]. */
  score(image: TokenSequence, text: TokenSequence): tf.Tensor1D {
    const batch = image.layout.batch;
    const w = image.x.shape[1];
    const tokens = tf.reshape(this.represent(image, text), [batch, this.config.tokens, w]);
    const pooled = layerNorm(tf.mean(tokens, 1) as tf.Tensor2D, this.lnG, this.lnB, this.eps);
    return tf.reshape(linear(pooled, this.scoreW, this.scoreB), [batch]);
  }
}

// One optimisation step of the dual encoder: gradients over the whole contrastive batch, either
// in one forward/backward or by decoupled gradient accumulation (METHODS.md §2, DGA), then one
// AdamW update.
//
// DGA: pass 1 embeds every sub-batch without a tape (keeping only the N×d raw embeddings);
// the head (text mixup, L2 normalisation, contrastive loss) gives closed-form gradients w.r.t.
// the raw, unmixed embeddings and the logit scale; pass 2 re-runs each sub-batch with a tape and
// back-propagates the surrogate ⟨gⱼ, eⱼ⟩ (plus scale·∂L/∂scale once), summing the parameter
// gradients. Everything after the towers is a function of the full N×d embeddings, so the sum
// equals the full-batch gradient; the step's randomness (mixup) is fixed by the caller.
//
// With the model's joint module and `pairMatching`, the plain path adds the weighted
// pair-matching loss of the batch's pairs and their negatives (loss/pair-matching.ts).
import * as tf from '@tensorflow/tfjs';
import { clipHeadGrads, clipHeadLoss } from '../loss/clip-head.js';
import { l2Normalize } from '../loss/normalize.js';
import type { Rng } from '@curio/random';
import { hardNegatives, matchingLoss, randomNegatives } from '../loss/pair-matching.js';
import type { LossDirection } from '../loss/contrastive.js';
import { mixWithReversed, type Mixup } from '../loss/mixup.js';
import type { ClipModel, PairOutputs } from '../model/clip-model.js';
import type { AdamW } from '../optim/adamw.js';

export interface TrainBatch {
  /** NHWC float32 [N, size, size, channels]. */
  images: tf.Tensor4D;
  /** int32 [N, L], 0-padded. */
  tokens: tf.Tensor2D;
}

export interface GradientOptions {
  direction: LossDirection;
  /** This step's mixup draw (see loss/mixup.ts drawMixup). */
  mixup?: Mixup;
  /** DGA sub-batch size b (must divide N); plain full-batch backward when absent or ≥ N. */
  subBatch?: number;
  /** The joint module's pair-matching loss (plain path, no mixup); off when absent or weight 0. */
  pairMatching?: PairMatching;
}

export interface PairMatching {
  weight: number;
  /** Each pair's negatives: the hardest by the contrastive similarities, or random ones. */
  negatives: 'hard' | 'random';
  /** This step's draw of random negatives (fixed by the caller, like mixup). */
  rng: Rng;
}

export interface TrainStepOptions extends GradientOptions {
  lr: number;
}

export interface TrainStepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

export interface Gradients {
  loss: number;
  /** By parameter name; the caller owns (and disposes) the tensors. */
  grads: Map<string, tf.Tensor>;
}

/** Compute the loss and the gradients of every trainable parameter for one batch. */
export function computeGradients(
  model: ClipModel,
  batch: TrainBatch,
  options: GradientOptions,
): Gradients {
  const n = batch.images.shape[0];
  if (batch.tokens.shape[0] !== n)
    throw new Error(`batch has ${n} images but ${batch.tokens.shape[0]} texts`);
  const { mixup } = options;
  if (options.pairMatching?.weight && (mixup || (options.subBatch ?? n) < n))
    throw new Error(
      'the pair-matching loss needs the whole batch, unmixed: no mixup, no sub-batch',
    );
  const images =
    mixup?.side === 'image' ? mixWithReversed(batch.images, mixup.lambda) : batch.images;
  try {
    const sub = options.subBatch;
    const view = { images, tokens: batch.tokens };
    return sub !== undefined && sub < n
      ? dgaGradients(model, view, sub, options)
      : plainGradients(model, view, options);
  } finally {
    if (images !== batch.images) images.dispose();
  }
}

/** Gradients and one optimiser update. */
export function trainStep(
  model: ClipModel,
  optimizer: AdamW,
  batch: TrainBatch,
  options: TrainStepOptions,
): TrainStepResult {
  const { loss, grads } = computeGradients(model, batch, options);
  try {
    const { gradNorm } = optimizer.apply(grads, options.lr);
    return { loss, gradNorm };
  } finally {
    for (const g of grads.values()) g.dispose();
  }
}

/** Run f under a tape for `vars`, returning its value and the gradients by parameter name. */
function gradsOf(
  f: () => tf.Scalar,
  vars: Map<string, tf.Variable>,
): { value: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const byTfName = new Map([...vars].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(f, [...vars.values()]);
  const out = new Map<string, tf.Tensor>();
  for (const [tfName, g] of Object.entries(grads)) if (g) out.set(byTfName.get(tfName)!, g);
  return { value, grads: out };
}

function plainGradients(model: ClipModel, batch: TrainBatch, options: GradientOptions): Gradients {
  const head = { direction: options.direction, ...(options.mixup ? { mixup: options.mixup } : {}) };
  const matching = options.pairMatching;
  const f = () => {
    if (!matching?.weight)
      return clipHeadLoss(
        model.encodeImage(batch.images),
        model.encodeText(batch.tokens),
        model.logitScale(),
        head,
      );
    const pairs = model.encodePairs(batch.images, batch.tokens);
    const { image, text } = pairs;
    const clip = clipHeadLoss(image.embedding, text.embedding, model.logitScale(), head);
    return tf.add(
      clip,
      tf.mul(matching.weight, pairMatchingLoss(model, pairs, batch.tokens, matching)),
    ) as tf.Scalar;
  };
  const vars = model.trainableVariables();
  if (vars.size === 0) return { loss: scalarOf(tf.tidy(f)), grads: new Map() };
  const { value, grads } = gradsOf(f, vars);
  return { loss: scalarOf(value), grads };
}

/** The joint module's loss on the batch's pairs and their in-batch negatives. */
function pairMatchingLoss(
  model: ClipModel,
  pairs: PairOutputs,
  tokens: tf.Tensor2D,
  matching: PairMatching,
): tf.Scalar {
  const n = tokens.shape[0];
  const captions = tokens.arraySync().map((r) => r.join(','));
  const similarities = () => {
    const { image, text } = pairs;
    const s = tf.tidy(() =>
      tf.matMul(l2Normalize(image.embedding), l2Normalize(text.embedding), false, true),
    );
    const values = s.dataSync();
    s.dispose();
    return values;
  };
  const negatives =
    matching.negatives === 'random'
      ? randomNegatives(n, captions, matching.rng)
      : hardNegatives(similarities(), n, captions);
  return matchingLoss(
    model.matchLogits(pairs),
    model.matchLogits(pairs, negatives.imageRows, negatives.textRows),
  );
}

function dgaGradients(
  model: ClipModel,
  batch: TrainBatch,
  sub: number,
  options: GradientOptions,
): Gradients {
  const n = batch.images.shape[0];
  if (n % sub !== 0) throw new Error(`sub-batch ${sub} must divide the batch size ${n}`);
  const parts = n / sub;
  const slice = <T extends tf.Tensor>(t: T, j: number): T => tf.slice(t, j * sub, sub) as T;

  // Pass 1: raw embeddings of every sub-batch, no tape.
  const embed = (encode: (j: number) => tf.Tensor2D) =>
    tf.tidy(
      () =>
        tf.concat(
          Array.from({ length: parts }, (_, j) => tf.tidy(() => encode(j))),
          0,
        ) as tf.Tensor2D,
    );
  const imageEmb = embed((j) => model.encodeImage(slice(batch.images, j)));
  const textEmb = embed((j) => model.encodeText(slice(batch.tokens, j)));
  const scale = model.logitScale();
  const head = clipHeadGrads(imageEmb, textEmb, scale, {
    direction: options.direction,
    ...(options.mixup ? { mixup: options.mixup } : {}),
  });
  tf.dispose([imageEmb, textEmb, scale]);
  const loss = scalarOf(head.loss);

  // Pass 2: re-run each sub-batch with a tape, back-propagate ⟨gⱼ, eⱼ⟩, accumulate.
  const vars = model.trainableVariables();
  const acc = new Map<string, tf.Tensor>();
  const imageTrains = model.towerTrains('image');
  const textTrains = model.towerTrains('text');
  try {
    if (vars.size > 0) {
      for (let j = 0; j < parts; j++) {
        const withScale = j === 0 && model.learnsTemperature;
        if (!imageTrains && !textTrains && !withScale) break;
        const gImage = slice(head.dImageEmb, j);
        const gText = slice(head.dTextEmb, j);
        const surrogate = () => {
          let s = tf.scalar(0);
          if (imageTrains)
            s = tf.add(s, tf.sum(tf.mul(model.encodeImage(slice(batch.images, j)), gImage)));
          if (textTrains)
            s = tf.add(s, tf.sum(tf.mul(model.encodeText(slice(batch.tokens, j)), gText)));
          if (withScale) s = tf.add(s, tf.mul(model.logitScale(), head.dScale));
          return s;
        };
        const { value, grads } = gradsOf(surrogate, vars);
        value.dispose();
        gImage.dispose();
        gText.dispose();
        for (const [name, g] of grads) {
          const prev = acc.get(name);
          if (prev) {
            acc.set(name, tf.add(prev, g));
            prev.dispose();
            g.dispose();
          } else acc.set(name, g);
        }
      }
    }
  } finally {
    tf.dispose([head.loss, head.dImageEmb, head.dTextEmb, head.dScale]);
  }
  return { loss, grads: acc };
}

function scalarOf(t: tf.Tensor): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

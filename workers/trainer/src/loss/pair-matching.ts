// The joint module's pair-matching loss (ITM-style, ours; METHODS.md §4): the batch's pairs are
// the positives, and each pair gives two negatives: its image with another caption, its caption
// with another image, either the hardest ones by the contrastive similarity matrix or random
// ones. Balanced binary cross-entropy on the match logits.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '@curio/random';

/** Negative pairs as rows of the batch: image `imageRows[p]` with text `textRows[p]`. */
export interface NegativePairs {
  imageRows: number[];
  textRows: number[];
}

/**
 * For each pair i of an n×n similarity matrix (row: image, column: text), the text j ≠ i most
 * similar to image i and the image j ≠ i most similar to text i. A row or column whose caption
 * equals pair i's (`captions[j] === captions[i]`) is a match, not a negative; a pair with no
 * other caption in the batch gives no negative.
 */
export function hardNegatives(
  similarity: ArrayLike<number>,
  n: number,
  captions: readonly string[],
): NegativePairs {
  const out: NegativePairs = { imageRows: [], textRows: [] };
  const hardest = (i: number, sim: (j: number) => number) => {
    let best = -1;
    for (let j = 0; j < n; j++)
      if (captions[j] !== captions[i] && (best < 0 || sim(j) > sim(best))) best = j;
    return best;
  };
  for (let i = 0; i < n; i++) {
    const text = hardest(i, (j) => similarity[i * n + j] as number);
    if (text < 0) continue;
    out.imageRows.push(i);
    out.textRows.push(text);
    out.imageRows.push(hardest(i, (j) => similarity[j * n + i] as number));
    out.textRows.push(i);
  }
  return out;
}

/**
 * For each pair i, a uniformly drawn other caption for its image and other image for its caption
 * (never one whose caption equals pair i's); a pair with no other caption gives no negative.
 */
export function randomNegatives(n: number, captions: readonly string[], rng: Rng): NegativePairs {
  const out: NegativePairs = { imageRows: [], textRows: [] };
  for (let i = 0; i < n; i++) {
    const others = [];
    for (let j = 0; j < n; j++) if (captions[j] !== captions[i]) others.push(j);
    if (others.length === 0) continue;
    out.imageRows.push(i, others[rng.int(others.length)]!);
    out.textRows.push(others[rng.int(others.length)]!, i);
  }
  return out;
}

/**
 * ½·mean(softplus(−z)) over the positives' logits + ½·mean(softplus(z)) over the negatives'
 * (binary cross-entropy, each class weighing half: a zero logit scores ln 2; no negatives: 0).
 */
export function matchingLoss(positives: tf.Tensor1D, negatives: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const pos = tf.mean(tf.softplus(tf.neg(positives)));
    const neg = negatives.size > 0 ? tf.mean(tf.softplus(negatives)) : tf.scalar(0);
    return tf.mul(0.5, tf.add(pos, neg)) as tf.Scalar;
  });
}

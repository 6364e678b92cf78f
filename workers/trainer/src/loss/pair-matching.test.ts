import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@curio/random';
import { hardNegatives, matchingLoss, randomNegatives } from './pair-matching.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('hardNegatives', () => {
  // rows: images, columns: texts
  const similarity = [
    [0.9, 0.5, 0.7],
    [0.8, 0.9, 0.1],
    [0.2, 0.6, 0.9],
  ].flat();

  it('pairs each image with its most similar other text, each text with its most similar other image', () => {
    const { imageRows, textRows } = hardNegatives(similarity, 3, ['a', 'b', 'c']);
    // image 0 → text 2 (0.7); text 0 → image 1 (0.8); image 1 → text 0; text 1 → image 2 (0.6);
    // image 2 → text 1; text 2 → image 0 (0.7)
    expect(imageRows).toEqual([0, 1, 1, 2, 2, 0]);
    expect(textRows).toEqual([2, 0, 0, 1, 1, 2]);
  });

  it('never takes a row with the same caption as a negative', () => {
    const { imageRows, textRows } = hardNegatives(similarity, 3, ['a', 'b', 'a']);
    // pairs 0 and 2 share a caption, so only pair 1 is a negative of either: image 0 → text 1,
    // text 0 → image 1; image 2 → text 1, text 2 → image 1 (0.1); pair 1 as before
    expect(imageRows).toEqual([0, 1, 1, 2, 2, 1]);
    expect(textRows).toEqual([1, 0, 0, 1, 1, 2]);
    expect(hardNegatives(similarity, 3, ['a', 'a', 'a'])).toEqual({ imageRows: [], textRows: [] });
  });
});

describe('randomNegatives', () => {
  it('gives each pair an other caption for its image and an other image for its caption', () => {
    const captions = ['a', 'b', 'a', 'c', 'd'];
    const { imageRows, textRows } = randomNegatives(5, captions, new Rng(3));
    expect(imageRows.length).toBe(10);
    for (let p = 0; p < 10; p++) {
      const pair = Math.floor(p / 2);
      // even: (pair's image, another caption); odd: (another image, pair's caption)
      expect(p % 2 === 0 ? imageRows[p] : textRows[p]).toBe(pair);
      expect(captions[imageRows[p]!]).not.toBe(captions[textRows[p]!]);
    }
    expect(new Set(textRows.filter((_, p) => p % 2 === 0)).size).toBeGreaterThan(1);
    expect(randomNegatives(2, ['a', 'a'], new Rng(3))).toEqual({ imageRows: [], textRows: [] });
  });
});

describe('matchingLoss', () => {
  it('is balanced binary cross-entropy: ln 2 at zero logits, known values otherwise', () => {
    const zero = matchingLoss(tf.zeros([2]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D);
    expect(zero.dataSync()[0]).toBeCloseTo(Math.log(2), 6);
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const loss = matchingLoss(tf.tensor1d([2, -1]), tf.tensor1d([0.5, -3, 1, 0]));
    const expected =
      0.5 * ((softplus(-2) + softplus(1)) / 2) +
      0.5 * ((softplus(0.5) + softplus(-3) + softplus(1) + softplus(0)) / 4);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);
    const noNegatives = matchingLoss(tf.tensor1d([0]), tf.tensor1d([]));
    expect(noNegatives.dataSync()[0]).toBeCloseTo(0.5 * Math.log(2), 6);
  });
});

import { describe, expect, it } from 'vitest';
import { retrievalRecall, zeroShotAccuracy } from './metrics.js';

describe('zeroShotAccuracy', () => {
  it('counts top-1 and top-5 on a hand-made case', () => {
    // 3 images × 6 classes. Image 0 (label 2): best. Image 1 (label 0): 3rd. Image 2 (label 5): last.
    const sim = new Float32Array([
      0.1, 0.2, 0.9, 0.0, 0.3, 0.1, 0.5, 0.9, 0.1, 0.6, 0.0, 0.2, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4,
    ]);
    expect(zeroShotAccuracy(sim, 6, [2, 0, 5])).toEqual({ top1: 1 / 3, top5: 2 / 3, n: 3 });
  });
  it('refuses a similarity of the wrong size', () => {
    expect(() => zeroShotAccuracy(new Float32Array(5), 2, [0, 1, 0])).toThrow(/expected 3×2/);
  });
});

describe('retrievalRecall', () => {
  it('computes recall in both directions', () => {
    // image 0 → text 0 best; image 1 → text 0 best (text 1 second).
    const sim = new Float32Array([0.9, 0.1, 0.8, 0.7]);
    const r = retrievalRecall(sim, 2);
    expect(r.imageToText).toEqual({ r1: 0.5, r5: 1, r10: 1 });
    // text 0 → images [0.9, 0.8]: image 0 best; text 1 → [0.1, 0.7]: image 1 best.
    expect(r.textToImage).toEqual({ r1: 1, r5: 1, r10: 1 });
  });
  it('counts ties against the true match', () => {
    const r = retrievalRecall(new Float32Array([0.5, 0.5, 0.5, 0.5]), 2);
    expect(r.imageToText.r1).toBe(0);
  });
});

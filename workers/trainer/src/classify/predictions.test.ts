import { describe, expect, it } from 'vitest';
import { topPredictions } from './predictions.js';

describe('topPredictions', () => {
  it('is the softmax of scale × cosine, best first, cut to k', () => {
    // Two images, three classes; scale 10.
    const cos = Float32Array.of(0.3, 0.1, 0.2, 0, 0, 0);
    const [first, second] = topPredictions(cos, ['a', 'b', 'c'], 10, 2);
    const z = Math.exp(3) + Math.exp(1) + Math.exp(2);
    expect(first!.map((p) => p.name)).toEqual(['a', 'c']);
    expect(first![0]!.probability).toBeCloseTo(Math.exp(3) / z, 6);
    expect(first![1]!.probability).toBeCloseTo(Math.exp(2) / z, 6);
    // Equal cosines: equal probabilities, class order kept.
    expect(second).toEqual([
      { name: 'a', probability: 1 / 3 },
      { name: 'b', probability: 1 / 3 },
    ]);
  });
});

import { Rng } from '@curio/random';
import { describe, expect, it } from 'vitest';
import { pickReplay } from './growth-plan.js';

const old = Array.from({ length: 10 }, (_, i) => ({ uri: `s${i}`, sampleCount: 10 }));
const pick = (replay: number, seed = 1) =>
  pickReplay(old, 70, replay, new Rng(seed)).map((s) => s.uri);

describe('growth replay', () => {
  it('replays old shards until they are the replay share of the pairs', () => {
    expect(pick(0)).toEqual([]);
    expect(pick(0.3)).toHaveLength(3); // 70 new pairs at 0.3: 30 old pairs
    expect(pick(0.5)).toHaveLength(7);
    expect(pick(0.9)).toHaveLength(10); // wants 630, there are 100
    expect(pick(1)).toHaveLength(10);
  });

  it('draws the same shards for the same seed, others for another', () => {
    expect(pick(0.3)).toEqual(pick(0.3));
    const draws = new Set([1, 2, 3, 4].map((seed) => pick(0.3, seed).join()));
    expect(draws.size).toBeGreaterThan(1);
  });
});

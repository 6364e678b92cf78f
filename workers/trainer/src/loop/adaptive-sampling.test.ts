// The pool feed with adaptive source weights over real shards. The held-out losses are given as
// functions of the step (what a model would measure): two sources keep improving, `noise` never
// gets below chance, so the rule's outcome is known in advance.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPoolIndex,
  createDataStats,
  resolvePool,
  type PoolIndexEntry,
  type PoolShard,
} from '@curio/webdataset';
import { makeTempDir, tinyPng, writeSampleShard } from '@curio/webdataset/testing';
import type { SourceWeightsSpec } from '@curio/contracts';
import { AdaptiveSampling } from './adaptive-sampling.js';
import { poolFeed, type FeedCommon } from './data-feed.js';
import { pickHeldOut } from './held-out.js';
import type { PoolBatcherState, SourceWeightsState } from '../data/index.js';
import type { DataState } from '../checkpoint/checkpoint.js';

type PoolResume = { batcher: PoolBatcherState; sourceWeights?: SourceWeightsState };

const settings: SourceWeightsSpec = {
  mode: 'adaptive',
  interval: 5,
  eta: 40,
  smoothing: 0.3,
  floor: 0.15,
  chanceMargin: 0.01,
  heldOut: 6,
};
const SOURCES = ['a', 'b', 'noise'];
/** Pairs per held-out chunk: chance is ln 6 ≈ 1.79. */
const CHUNK = 6;
/** Held-out loss of each source after `step` steps; `noise` falls, but never below chance. */
const lossAt = (step: number) => [
  1.7 * Math.exp(-step / 40),
  1.7 * Math.exp(-step / 60),
  2.5 - step / 100,
];

describe('adaptive source weights in the pool feed', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let shards: PoolShard[];
  let index: PoolIndexEntry[];
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    const png = await tinyPng(6, 6);
    await writeSampleShard(path.join(dir, 'a', '0.tar'), 30, png, 'a');
    await writeSampleShard(path.join(dir, 'b', '0.tar'), 30, png, 'b');
    await writeSampleShard(path.join(dir, 'noise', '0.tar'), 90, png, 'n');
    shards = await resolvePool(SOURCES.map((name) => ({ name, shards: [path.join(dir, name)] })));
    index = await buildPoolIndex(shards);
  });
  afterAll(() => cleanup());

  const common = (): FeedCommon => ({
    imageSize: 4,
    augment: { randomResizedCrop: false, minScale: 1, flip: false },
    seed: 7,
    stats: createDataStats(),
    prefetch: 2,
    batchSize: 4,
    multipleOf: 1,
    sampling: 'debiased',
  });

  /** Steps [from, to) of a feed (resumed from `resume` if given): batch ids and weight changes. */
  async function run(from: number, to: number, resume?: PoolResume) {
    const heldOut = await pickHeldOut(shards, SOURCES, settings.heldOut, createDataStats());
    let step = from;
    const adaptive = new AdaptiveSampling({
      settings,
      index,
      heldOut,
      measure: () => Promise.resolve(lossAt(step)),
      chunk: CHUNK,
      ...(resume?.sourceWeights ? { state: resume.sourceWeights } : {}),
    });
    const feed = poolFeed(index, common(), resume?.batcher, adaptive);
    const weights: { step: number; weights: Record<string, number> }[] = [];
    feed.onSourceWeights = (w) => weights.push({ step, weights: w });
    const batches: string[][] = [];
    for (; step < to; step++) batches.push((await feed.next(step)).samples.map((s) => s.id));
    const state = feed.state(to);
    await feed.close();
    return { batches, weights, state, heldOut };
  }
  const resumeOf = (s: DataState): PoolResume => {
    if (s.mode !== 'none') throw new Error('not a pool state');
    return s;
  };

  it('moves batches off the source that stops improving, to its floor, never batching held-out pairs', async () => {
    const { batches, weights, heldOut } = await run(0, 60);
    expect(weights.map((w) => w.step)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    // Before the first update: ∝ the sizes left after the held-out slices (24, 24, 84).
    expect(weights[0]!.weights.noise).toBeCloseTo(84 / 132, 12);
    for (const { weights: w } of weights.slice(1)) {
      expect(Object.values(w).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      expect(w.noise).toBeGreaterThanOrEqual(0.05 - 1e-12); // ε/K
      expect(w.noise).toBeLessThan(0.06);
    }
    const held = new Set([...heldOut.values()].flat().map((p) => p.id));
    expect(held.size).toBe(18);
    for (const id of batches.flat()) expect(held.has(id), id).toBe(false);
    const fromNoise = (bs: string[][]) => bs.filter((b) => b[0]!.includes('/noise/')).length;
    // ∝ size, noise would fill ~35 of the 55 batches after the first update; at ~5.5%, about 3.
    expect(fromNoise(batches.slice(5))).toBeLessThan(10);
  });

  it('resumes exactly from a checkpoint taken at an update step or between two', async () => {
    const whole = await run(0, 20);
    for (const cut of [10, 13]) {
      const head = await run(0, cut);
      const tail = await run(cut, 20, resumeOf(head.state));
      expect([...head.batches, ...tail.batches], `cut ${cut}`).toEqual(whole.batches);
      expect([...head.weights, ...tail.weights]).toEqual(whole.weights);
    }
  });

  it('refuses a checkpoint whose weights miss a source', () => {
    const heldOut = new Map(SOURCES.map((s) => [s, []]));
    const state = { weights: { a: 1 }, heldOutLoss: { a: 1 }, updatedAt: 5 };
    expect(
      () =>
        new AdaptiveSampling({
          settings,
          index,
          heldOut,
          measure: async () => [],
          chunk: 6,
          state,
        }),
    ).toThrow(/no entry for source "b"/);
  });
});

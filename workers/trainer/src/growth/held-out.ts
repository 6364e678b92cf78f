// The data a growth search works on: a seeded uniform sample of the pool (one pass, reservoir
// sampling), split into held-out pairs that score candidates and pairs the candidates train on;
// and the scores (METHODS.md §3): held-out contrastive loss (lower is better) or zero-shot top-1
// on an eval set (higher is better).
import * as tf from '@tensorflow/tfjs';
import type { GrowthScore } from '@curio/contracts';
import { Rng } from '@curio/random';
import {
  captionStream,
  type CaptionSample,
  type DataStats,
  type PoolShard,
} from '@curio/webdataset';
import { decodeBatch } from '../data/index.js';
import { embedImages, embedTexts } from '../embed/embedder.js';
import { evaluate, type PreparedEvalSet } from '../eval/evaluate.js';
import { contrastiveLoss } from '../loss/index.js';
import type { ClipModel } from '../model/index.js';
import type { Tokenizer } from '../tokenizer/index.js';

export interface HeldOutPairs {
  /** [n, size, size, 3], decoded without augmentation. */
  pixels: Float32Array;
  captions: string[];
}

export interface ProxyData {
  heldOut: HeldOutPairs;
  /** Pairs the candidates train on (none of the held-out ones). */
  train: CaptionSample[];
  /** Pairs in the whole pool. */
  poolPairs: number;
}

export interface ProxyDataOptions {
  heldOut: number;
  train: number;
  seed: number;
  imageSize: number;
  stats: DataStats;
}

export async function sampleProxyData(
  shards: readonly PoolShard[],
  o: ProxyDataOptions,
): Promise<ProxyData> {
  const rng = Rng.derive(o.seed, 'growth-proxy');
  const capacity = o.heldOut + o.train;
  const sample: CaptionSample[] = [];
  let seen = 0;
  for await (const s of captionStream(shards, { stats: o.stats })) {
    if (sample.length < capacity) sample.push(s);
    else {
      const j = rng.int(seen + 1);
      if (j < capacity) sample[j] = s;
    }
    seen++;
  }
  const heldOutCount = Math.min(o.heldOut, Math.floor(seen / 2));
  if (heldOutCount < 4)
    throw new Error(
      `growth: the pool has ${seen} pairs, too few to hold some out and train candidates on the rest`,
    );
  rng.shuffle(sample);
  const held = sample.slice(0, heldOutCount);
  const decoded = await decodeBatch(held, { size: o.imageSize, stats: o.stats });
  return {
    heldOut: {
      pixels: decoded.pixels,
      captions: decoded.kept.map((i) => held[i]!.caption),
    },
    train: sample.slice(heldOutCount),
    poolPairs: seen,
  };
}

/** Mean symmetric contrastive loss over the held-out pairs in batches of at most `batchSize`. */
export function heldOutLoss(
  model: ClipModel,
  tokenizer: Tokenizer,
  h: HeldOutPairs,
  batchSize: number,
): number {
  const n = h.captions.length;
  const d = model.config.embedDim;
  const images = embedImages(model, h.pixels, n);
  const texts = embedTexts(model, tokenizer, h.captions);
  const size = Math.min(batchSize, n);
  let total = 0;
  let batches = 0;
  for (let start = 0; start + size <= n; start += size) {
    total += tf.tidy(() => {
      const rows = (e: Float32Array) =>
        tf.tensor2d(e.subarray(start * d, (start + size) * d), [size, d]);
      return contrastiveLoss(rows(images), rows(texts), model.logitScale()).dataSync()[0]!;
    });
    batches++;
  }
  return total / batches;
}

export interface Scorer {
  kind: GrowthScore;
  score(model: ClipModel): Promise<number>;
  /** Whether score `a` is better than `b`. */
  better(a: number, b: number): boolean;
}

export function scorer(
  kind: GrowthScore,
  tokenizer: Tokenizer,
  heldOut: HeldOutPairs,
  batchSize: number,
  evalSet: PreparedEvalSet | undefined,
): Scorer {
  if (kind === 'zero-shot') {
    if (!evalSet) throw new Error('growth: zero-shot scoring needs an eval set');
    return {
      kind,
      score: async (m) => (await evaluate(m, tokenizer, evalSet)).zeroShot.top1,
      better: (a, b) => a > b,
    };
  }
  return {
    kind,
    score: async (m) => heldOutLoss(m, tokenizer, heldOut, batchSize),
    better: (a, b) => a < b,
  };
}

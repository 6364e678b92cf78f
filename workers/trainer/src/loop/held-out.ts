// The held-out slice of each pool source (adaptive source weights): its first `perSource` pairs in
// shard order, never put in a training batch, and the current model's contrastive loss on them.
// The first pairs are chosen because they are found by reading one shard's head (no pass over the
// source), the same on every resume; img2dataset shards hold a source's pairs in no meaningful order.
import * as tf from '@tensorflow/tfjs';
import {
  captionStream,
  type CaptionSample,
  type DataStats,
  type PoolShard,
} from '@curio/webdataset';
import { decodeBatch } from '../data/index.js';
import { embedImages, embedTexts } from '../embed/embedder.js';
import { contrastiveLoss, type LossDirection } from '../loss/index.js';
import type { ClipModel } from '../model/index.js';
import type { Tokenizer } from '../tokenizer/index.js';

/** The first `perSource` pairs of each named source, in shard order. */
export async function pickHeldOut(
  shards: readonly PoolShard[],
  sources: readonly string[],
  perSource: number,
  stats: DataStats,
): Promise<Map<string, CaptionSample[]>> {
  const out = new Map<string, CaptionSample[]>();
  for (const source of sources) {
    const own = shards.filter((s) => s.source === source);
    const picked: CaptionSample[] = [];
    if (own.length)
      for await (const s of captionStream(own, { stats })) {
        picked.push(s);
        if (picked.length === perSource) break;
      }
    out.set(source, picked);
  }
  return out;
}

export interface HeldOutLossOptions {
  /** Pairs per contrastive batch (the loss grows with log of it, so one size for every source). */
  chunk: number;
  direction: LossDirection;
  stats: DataStats;
}

/** Mean contrastive loss of `model` over the full chunks of `samples` (images not augmented). */
export async function heldOutLoss(
  model: ClipModel,
  tokenizer: Tokenizer,
  samples: readonly CaptionSample[],
  o: HeldOutLossOptions,
): Promise<number> {
  const d = model.config.embedDim;
  let total = 0;
  let chunks = 0;
  for (let start = 0; start + o.chunk <= samples.length; start += o.chunk) {
    const part = samples.slice(start, start + o.chunk);
    const decoded = await decodeBatch(part, { size: model.config.image.size, stats: o.stats });
    const n = decoded.kept.length;
    if (n < 2) continue;
    const images = embedImages(model, decoded.pixels, n);
    const texts = embedTexts(
      model,
      tokenizer,
      decoded.kept.map((i) => (part[i] as CaptionSample).caption),
    );
    const loss = tf.tidy(() =>
      contrastiveLoss(tf.tensor2d(images, [n, d]), tf.tensor2d(texts, [n, d]), model.logitScale(), {
        direction: o.direction,
      }),
    );
    total += (await loss.data())[0] as number;
    loss.dispose();
    chunks++;
  }
  if (chunks === 0)
    throw new Error(`held-out loss: no chunk of ${o.chunk} pairs with at least 2 decodable images`);
  return total / chunks;
}

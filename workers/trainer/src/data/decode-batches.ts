// Turn batches of captioned, still-encoded samples into model-ready batches: images decoded and
// augmented (sharp), captions kept alongside, undecodable images dropped with their captions.
// The augmentation of batch i is seeded by (seed, i) alone, so prefetching changes nothing.
import { Rng } from '@curio/random';
import type { CaptionSample } from '@curio/webdataset';
import { decodeBatch, type AugmentOptions } from './image.js';
import { prefetch } from './prefetch.js';
import type { DataStats } from '@curio/webdataset';

export interface EncodedBatch {
  index: number;
  samples: readonly CaptionSample[];
}

export interface DecodedTrainingBatch<B extends EncodedBatch = EncodedBatch> {
  /** The batch as it came in (e.g. with its resume state). */
  batch: B;
  /** The samples whose image decoded, in order; `captions[i]` belongs to image i. */
  samples: CaptionSample[];
  captions: string[];
  /** [samples.length, size, size, 3], CLIP-normalised. */
  pixels: Float32Array;
  shape: [number, number, number, number];
}

export interface DecodeBatchesOptions {
  size: number;
  augment?: AugmentOptions;
  seed: number;
  stats?: DataStats;
  /** Decoded batches to keep ready ahead of the consumer (0: none). */
  prefetch?: number;
}

async function* decodeEach<B extends EncodedBatch>(
  batches: AsyncIterable<B>,
  options: DecodeBatchesOptions,
): AsyncGenerator<DecodedTrainingBatch<B>> {
  for await (const batch of batches) {
    const rng = Rng.derive(options.seed, 'augment', batch.index);
    const decoded = await decodeBatch(batch.samples, {
      size: options.size,
      augment: options.augment,
      rng,
      stats: options.stats,
    });
    const samples = decoded.kept.map((i) => batch.samples[i] as CaptionSample);
    yield {
      batch,
      samples,
      captions: samples.map((s) => s.caption),
      pixels: decoded.pixels,
      shape: decoded.shape,
    };
  }
}

/** Decode every batch (with `prefetch` batches decoded ahead). */
export function decodeBatches<B extends EncodedBatch>(
  batches: AsyncIterable<B>,
  options: DecodeBatchesOptions,
): AsyncGenerator<DecodedTrainingBatch<B>> {
  return prefetch(decodeEach(batches, options), options.prefetch ?? 0);
}

// What the current model says of image-text pairs, from one decoding of their images (without
// augmentation): how well each image agrees with its caption (CiT's pair filter drops the
// outliers), and how much each image looks like a target (its max cosine to the metadata's
// embeddings: the evidence the handover's additions are checked against). The agreement is the
// dual encoder's cosine, or the joint module's match logit (`curation.pairScore: joint`).
import { type CaptionSample, type DataStats } from '@curio/webdataset';
import { maxCosine } from '../curation/metadata-embedding.js';
import { decodeBatch } from '../data/index.js';
import type { ClipModel } from '../model/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import { embedImages, embedTexts, matchScores } from './embedder.js';
import { nextTurn } from '../loop/event-loop.js';

const CHUNK = 256;

/** What measures a pair's image-caption agreement. */
export type PairScore = 'cosine' | 'joint';

export interface PairEvidence {
  /**
   * cos(image, caption) per pair, or the joint match logit; -1 for a pair whose image does not
   * decode (training drops such pairs whatever their agreement).
   */
  agreement: Float32Array;
  /** max cos(image, metadata entry) per pair; -1 for a pair whose image does not decode. */
  imageScore: Float32Array;
}

/** Evidence for each pair; `meta` holds the metadata's unit embeddings (rows of embedDim). */
export async function pairEvidence(
  model: ClipModel,
  tokenizer: Tokenizer,
  samples: readonly CaptionSample[],
  meta: Float32Array,
  stats: DataStats,
  pairScore: PairScore = 'cosine',
): Promise<PairEvidence> {
  const d = model.config.embedDim;
  const agreement = new Float32Array(samples.length).fill(-1);
  const imageScore = new Float32Array(samples.length).fill(-1);
  for (let start = 0; start < samples.length; start += CHUNK) {
    await nextTurn(); // the worker's heartbeat beats between chunks
    const part = samples.slice(start, start + CHUNK);
    const decoded = await decodeBatch(part, { size: model.config.image.size, stats });
    const images = embedImages(model, decoded.pixels, decoded.kept.length);
    const captions = decoded.kept.map((i) => (part[i] as CaptionSample).caption);
    const scores =
      pairScore === 'joint'
        ? matchScores(model, tokenizer, decoded.pixels, captions)
        : cosines(images, embedTexts(model, tokenizer, captions), d);
    const toMeta = maxCosine(images, meta, d);
    decoded.kept.forEach((i, k) => {
      agreement[start + i] = scores[k] as number;
      imageScore[start + i] = toMeta[k] as number;
    });
  }
  return { agreement, imageScore };
}

/** Row k of a · row k of b, for unit rows of d values. */
function cosines(a: Float32Array, b: Float32Array, d: number): Float32Array {
  const out = new Float32Array(a.length / d);
  for (let k = 0; k < out.length; k++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += (a[k * d + j] as number) * (b[k * d + j] as number);
    out[k] = dot;
  }
  return out;
}

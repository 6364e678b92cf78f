// How well each image-text pair agrees under the current model: the cosine of its image (decoded
// without augmentation) and its caption. CiT's `pairFilter` drops the pairs that agree least.
import { type CaptionSample, type DataStats } from '@curio/webdataset';
import { decodeBatch } from '../data/index.js';
import type { ClipModel } from '../model/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import { embedImages, embedTexts } from './embedder.js';

const CHUNK = 256;

/** One cosine per pair; -1 for a pair whose image does not decode (it is counted in `stats`). */
export async function pairAgreement(
  model: ClipModel,
  tokenizer: Tokenizer,
  samples: readonly CaptionSample[],
  stats: DataStats,
): Promise<Float32Array> {
  const d = model.config.embedDim;
  const out = new Float32Array(samples.length).fill(-1);
  for (let start = 0; start < samples.length; start += CHUNK) {
    const part = samples.slice(start, start + CHUNK);
    const decoded = await decodeBatch(part, { size: model.config.image.size, stats });
    const images = embedImages(model, decoded.pixels, decoded.kept.length);
    const texts = embedTexts(
      model,
      tokenizer,
      decoded.kept.map((i) => (part[i] as CaptionSample).caption),
    );
    decoded.kept.forEach((i, k) => {
      let dot = 0;
      for (let j = 0; j < d; j++)
        dot += (images[k * d + j] as number) * (texts[k * d + j] as number);
      out[start + i] = dot;
    });
  }
  return out;
}

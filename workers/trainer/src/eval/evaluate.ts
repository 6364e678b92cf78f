// Zero-shot classification and retrieval of a model on a clip_benchmark eval set (METHODS.md §0).
// Eval images are decoded once (no augmentation) and kept; each evaluation re-embeds them.
import type { EvalSetSpec } from '@curio/contracts';
import { averageRows, prompts } from '../curation/metadata-embedding.js';
import { readEvalSet, formatDataStats } from '@curio/webdataset';
import { decodeBatch } from '../data/index.js';
import { cosineMatrix, embedImagesInTurns, embedTexts } from '../embed/embedder.js';
import type { ClipModel } from '../model/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import {
  retrievalRecall,
  zeroShotAccuracy,
  type RetrievalMetrics,
  type ZeroShotMetrics,
} from './metrics.js';

export interface PreparedEvalSet {
  name: string;
  classnames: string[];
  templates: string[];
  pixels: Float32Array;
  labels: number[];
  /** Captions of the samples, when every sample has one (enables retrieval). */
  captions?: string[];
  /** What was skipped while reading (one line). */
  problems: string;
}

export interface EvalResult {
  evalSet: string;
  zeroShot: ZeroShotMetrics;
  retrieval?: RetrievalMetrics;
}

export async function prepareEvalSet(
  spec: EvalSetSpec,
  imageSize: number,
  maxSamples?: number,
): Promise<PreparedEvalSet> {
  const set = await readEvalSet(spec.path);
  const images: Buffer[] = [];
  const labels: number[] = [];
  const captions: (string | undefined)[] = [];
  for await (const s of set.samples) {
    if (s.cls >= set.classnames.length) {
      throw new Error(
        `eval set ${spec.name}: sample ${s.key} has class ${s.cls} but there are ${set.classnames.length} classnames`,
      );
    }
    images.push(s.image);
    labels.push(s.cls);
    captions.push(s.caption);
    if (maxSamples !== undefined && images.length >= maxSamples) break;
  }
  const decoded = await decodeBatch(images, { size: imageSize, stats: set.stats });
  if (decoded.kept.length === 0)
    throw new Error(`eval set ${spec.name} (${spec.path}) has no decodable samples`);
  const keptCaptions = decoded.kept.map((i) => captions[i]);
  return {
    name: spec.name,
    classnames: set.classnames,
    templates: set.templates,
    pixels: decoded.pixels,
    labels: decoded.kept.map((i) => labels[i] as number),
    ...(keptCaptions.every((c) => c !== undefined) ? { captions: keptCaptions as string[] } : {}),
    problems: formatDataStats(set.stats),
  };
}

/** Per-class text embeddings: every template filled with the class name, averaged, normalised. */
export function classEmbeddings(
  model: ClipModel,
  tokenizer: Tokenizer,
  classnames: readonly string[],
  templates: readonly string[],
): Float32Array {
  const { texts, owner } = prompts(
    classnames.map((c) => [c]),
    templates,
    '{c}',
  );
  return averageRows(
    embedTexts(model, tokenizer, texts),
    owner,
    classnames.length,
    model.config.embedDim,
  );
}

/** Zero-shot (and retrieval, with captions) on a prepared set; a turn of the event loop per chunk. */
export async function evaluate(
  model: ClipModel,
  tokenizer: Tokenizer,
  set: PreparedEvalSet,
): Promise<EvalResult> {
  const d = model.config.embedDim;
  const n = set.labels.length;
  const images = await embedImagesInTurns(model, set.pixels, n);
  const classes = classEmbeddings(model, tokenizer, set.classnames, set.templates);
  const zeroShot = zeroShotAccuracy(
    cosineMatrix(images, classes, d),
    set.classnames.length,
    set.labels,
  );
  if (!set.captions) return { evalSet: set.name, zeroShot };
  const texts = embedTexts(model, tokenizer, set.captions);
  return {
    evalSet: set.name,
    zeroShot,
    retrieval: retrievalRecall(cosineMatrix(images, texts, d), n),
  };
}

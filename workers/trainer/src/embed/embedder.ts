// Embeddings from a model, in memory-bounded chunks, L2-normalised, as plain Float32Arrays: what
// curation, evaluation and the `embed` command consume.
import * as tf from '@tensorflow/tfjs';
import type { ClipModel } from '../model/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { TextEmbedder } from '../curation/metadata-embedding.js';
import { nextTurn } from '../loop/event-loop.js';

const CHUNK = 256;

function normalizedRows(e: tf.Tensor2D): tf.Tensor2D {
  return tf.div(e, tf.maximum(tf.norm(e, 'euclidean', 1, true), 1e-12));
}

export function embedTexts(
  model: ClipModel,
  tokenizer: Tokenizer,
  texts: readonly string[],
): Float32Array {
  const d = model.config.embedDim;
  const out = new Float32Array(texts.length * d);
  for (let start = 0; start < texts.length; start += CHUNK) {
    const part = texts.slice(start, start + CHUNK);
    const ids = tokenizer.encodeBatch(part, model.config.text.context);
    const rows = tf.tidy(() => {
      const tokens = tf.tensor2d(ids, [part.length, model.config.text.context], 'int32');
      return normalizedRows(model.encodeText(tokens));
    });
    out.set(rows.dataSync() as Float32Array, start * d);
    rows.dispose();
  }
  return out;
}

/** pixels: [n, size, size, 3] CLIP-normalised, row-major. */
export function embedImages(model: ClipModel, pixels: Float32Array, n: number): Float32Array {
  const size = model.config.image.size;
  const per = size * size * 3;
  if (pixels.length !== n * per)
    throw new Error(`embedImages: ${pixels.length} values is not ${n} images of ${size}×${size}×3`);
  const d = model.config.embedDim;
  const out = new Float32Array(n * d);
  for (let start = 0; start < n; start += CHUNK) {
    const count = Math.min(CHUNK, n - start);
    const rows = tf.tidy(() => {
      const x = tf.tensor4d(pixels.subarray(start * per, (start + count) * per), [
        count,
        size,
        size,
        3,
      ]);
      return normalizedRows(model.encodeImage(x));
    });
    out.set(rows.dataSync() as Float32Array, start * d);
    rows.dispose();
  }
  return out;
}

/** `embedImages`, giving the event loop a turn per chunk (a worker's heartbeat beats meanwhile). */
export async function embedImagesInTurns(
  model: ClipModel,
  pixels: Float32Array,
  n: number,
): Promise<Float32Array> {
  const size = model.config.image.size;
  const per = size * size * 3;
  const out = new Float32Array(n * model.config.embedDim);
  for (let start = 0; start < n; start += CHUNK) {
    await nextTurn();
    const count = Math.min(CHUNK, n - start);
    const part = pixels.subarray(start * per, (start + count) * per);
    out.set(embedImages(model, part, count), start * model.config.embedDim);
  }
  return out;
}

/**
 * The joint module's match logit of each pair: image k (pixels as for `embedImages`) with
 * caption k. The model must have a joint module.
 */
export function matchScores(
  model: ClipModel,
  tokenizer: Tokenizer,
  pixels: Float32Array,
  captions: readonly string[],
): Float32Array {
  const { image, text } = model.config;
  const per = image.size * image.size * 3;
  const out = new Float32Array(captions.length);
  for (let start = 0; start < captions.length; start += CHUNK) {
    const part = captions.slice(start, start + CHUNK);
    const ids = tokenizer.encodeBatch(part, text.context);
    const logits = tf.tidy(() => {
      const images = tf.tensor4d(pixels.subarray(start * per, (start + part.length) * per), [
        part.length,
        image.size,
        image.size,
        3,
      ]);
      const tokens = tf.tensor2d(ids, [part.length, text.context], 'int32');
      return model.matchLogits(model.encodePairs(images, tokens));
    });
    out.set(logits.dataSync() as Float32Array, start);
    logits.dispose();
  }
  return out;
}

/** The curation-facing view of a model's text tower. */
export function textEmbedder(model: ClipModel, tokenizer: Tokenizer): TextEmbedder {
  return {
    dim: model.config.embedDim,
    embedTexts: async (texts) => embedTexts(model, tokenizer, texts),
  };
}

/** Row-major a·bᵀ for unit rows (cosine similarities), na×nb. */
export function cosineMatrix(a: Float32Array, b: Float32Array, dim: number): Float32Array {
  const na = a.length / dim;
  const nb = b.length / dim;
  return tf.tidy(
    () =>
      tf
        .matMul(tf.tensor2d(a, [na, dim]), tf.tensor2d(b, [nb, dim]), false, true)
        .dataSync() as Float32Array,
  );
}

// Zero-shot and retrieval metrics on plain row-major similarity matrices (no tensors), so they
// can be tested on hand-made cases. similarity[i * cols + j] compares query i with candidate j.

export interface ZeroShotMetrics {
  top1: number;
  top5: number;
  n: number;
}

export interface RetrievalMetrics {
  imageToText: { r1: number; r5: number; r10: number };
  textToImage: { r1: number; r5: number; r10: number };
  n: number;
}

/** Rank (0 = best) of candidate `target` in row `row`; ties count against the target. */
function rankOf(sim: Float32Array, cols: number, row: number, target: number): number {
  const base = row * cols;
  const s = sim[base + target] as number;
  let rank = 0;
  for (let j = 0; j < cols; j++) if (j !== target && (sim[base + j] as number) >= s) rank++;
  return rank;
}

/** Top-1 / top-5 accuracy of images (rows) against class embeddings (columns). */
export function zeroShotAccuracy(
  sim: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
): ZeroShotMetrics {
  const n = labels.length;
  if (sim.length !== n * classes)
    throw new Error(`similarity has ${sim.length} entries, expected ${n}×${classes}`);
  let top1 = 0;
  let top5 = 0;
  for (let i = 0; i < n; i++) {
    const r = rankOf(sim, classes, i, labels[i] as number);
    if (r < 1) top1++;
    if (r < 5) top5++;
  }
  return { top1: n ? top1 / n : 0, top5: n ? top5 / n : 0, n };
}

/**
 * Recall@1/5/10 for paired images and texts: image i's true text is text i.
 * sim is n×n image-by-text.
 */
export function retrievalRecall(sim: Float32Array, n: number): RetrievalMetrics {
  if (sim.length !== n * n)
    throw new Error(`similarity has ${sim.length} entries, expected ${n}×${n}`);
  const transposed = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) transposed[j * n + i] = sim[i * n + j] as number;
  const recall = (m: Float32Array) => {
    const ranks = Array.from({ length: n }, (_, i) => rankOf(m, n, i, i));
    const at = (k: number) => (n ? ranks.filter((r) => r < k).length / n : 0);
    return { r1: at(1), r5: at(5), r10: at(10) };
  };
  return { imageToText: recall(sim), textToImage: recall(transposed), n };
}

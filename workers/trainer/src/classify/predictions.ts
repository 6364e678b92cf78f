// Zero-shot predictions from cosine similarities: softmax over the classes of (logit scale ×
// cosine), as CLIP turns similarities into probabilities, and the k most likely classes.

export interface Prediction {
  name: string;
  probability: number;
}

/**
 * cosines: row-major [images, classes]; returns, per image, the top k classes by probability
 * (ties keep class order).
 */
export function topPredictions(
  cosines: Float32Array,
  classnames: readonly string[],
  logitScale: number,
  k: number,
): Prediction[][] {
  const c = classnames.length;
  const out: Prediction[][] = [];
  for (let row = 0; row < cosines.length / c; row++) {
    const logits = Array.from(cosines.subarray(row * c, (row + 1) * c), (x) => x * logitScale);
    const max = Math.max(...logits);
    const exp = logits.map((l) => Math.exp(l - max));
    const total = exp.reduce((a, b) => a + b, 0);
    out.push(
      exp
        .map((e, i) => ({ name: classnames[i]!, probability: e / total }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, k),
    );
  }
  return out;
}

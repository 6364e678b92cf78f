// A cheap caption scorer the handover trains on the model's evidence (ours): logistic regression
// over hashed words and word pairs. Lexical hits and the pairs the model added by their images
// are its positives, probed pairs whose images show no target its negatives; it then ranks a
// round's rejected captions so that the image probe checks the likeliest ones first. It learns
// the words of captions that paraphrase a class (which neither the lexical matcher nor a text
// tower trained on lexical hits knows) from a few dozen image-checked examples, at a cost of
// microseconds per caption.
import { words } from './lexical.js';

const BITS = 16;
const MASK = (1 << BITS) - 1;

/** FNV-1a hash of a feature string into the weight table. */
function bucket(feature: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & MASK;
}

/** The caption's features: its words and adjacent word pairs, hashed (duplicates kept once). */
export function captionFeatures(caption: string): number[] {
  const ws = words(caption);
  const out = new Set<number>();
  ws.forEach((w, i) => {
    out.add(bucket(w));
    if (i > 0) out.add(bucket(`${ws[i - 1]} ${w}`));
  });
  return [...out];
}

/** What a checkpoint keeps: the non-zero weights and the bias. */
export interface WordScorerState {
  bias: number;
  /** [bucket, weight] pairs. */
  weights: [number, number][];
}

export class WordScorer {
  private readonly w = new Float32Array(1 << BITS);
  private bias = 0;
  /** Whether it has been trained at all (an untrained scorer ranks nothing). */
  trained = false;

  constructor(state?: WordScorerState) {
    if (!state) return;
    this.bias = state.bias;
    for (const [i, v] of state.weights) this.w[i] = v;
    this.trained = true;
  }

  state(): WordScorerState {
    const weights: [number, number][] = [];
    this.w.forEach((v, i) => v !== 0 && weights.push([i, v]));
    return { bias: this.bias, weights };
  }

  /** The logit that a caption is on target. */
  score(caption: string): number {
    let z = this.bias;
    for (const f of captionFeatures(caption)) z += this.w[f] as number;
    return z;
  }

  /**
   * A few passes of logistic-regression SGD, the classes weighted to equal total weight, in a
   * fixed interleaved order (deterministic), with a little L2 decay on the features touched.
   */
  update(positives: readonly string[], negatives: readonly string[], epochs = 3, lr = 0.2): void {
    if (positives.length === 0 || negatives.length === 0) return;
    const pos = positives.map(captionFeatures);
    const neg = negatives.map(captionFeatures);
    const n = Math.max(pos.length, neg.length);
    const step = (f: number[], y: number, weight: number) => {
      let z = this.bias;
      for (const i of f) z += this.w[i] as number;
      const g = weight * (1 / (1 + Math.exp(-z)) - y);
      this.bias -= lr * g;
      for (const i of f) this.w[i] = (this.w[i] as number) * (1 - 1e-4) - lr * g;
    };
    for (let e = 0; e < epochs; e++) {
      for (let k = 0; k < n; k++) {
        if (k < pos.length) step(pos[k] as number[], 1, n / pos.length / 2);
        if (k < neg.length) step(neg[k] as number[], 0, n / neg.length / 2);
      }
    }
    this.trained = true;
  }
}

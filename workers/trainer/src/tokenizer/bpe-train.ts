// Trains a byte-level BPE: start from the 256 byte tokens, repeatedly merge the most frequent
// adjacent pair across the captions' chunks (ties: the lowest pair of ids) until the vocabulary
// is full or no pair occurs at least `minFrequency` times. Pair counts are updated incrementally
// (only the words containing the merged pair are touched) and the best pair comes from a lazy
// max-heap, so 20k captions train in well under a second.
import { normalizeText, pretokenize } from './pretokenize.js';
import { BYTE_OFFSET, FIRST_MERGE_ID, Tokenizer } from './tokenizer.js';

export interface TrainBpeOptions {
  /** Final vocabulary size including the special and byte tokens (≥ 259, ≤ 65536). */
  vocabSize: number;
  /** A pair must occur at least this often to be merged (default 2). */
  minFrequency?: number;
}

const KEY_BASE = 65536;
const pairKey = (a: number, b: number): number => a * KEY_BASE + b;

/** Max-heap of [count, key], highest count first, then lowest key. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  private above(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] | undefined {
    if (this.counts.length === 0) return undefined;
    const top: [number, number] = [this.counts[0]!, this.keys[0]!];
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.counts.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.counts.length && this.above(l, best)) best = l;
        if (r < this.counts.length && this.above(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

/** Train a byte-level BPE tokenizer on captions. */
export function trainBpe(captions: Iterable<string>, options: TrainBpeOptions): Tokenizer {
  const { vocabSize, minFrequency = 2 } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < FIRST_MERGE_ID || vocabSize > KEY_BASE) {
    throw new Error(
      `trainBpe: vocabSize must be an integer in [${FIRST_MERGE_ID}, ${KEY_BASE}], got ${vocabSize}`,
    );
  }
  if (!Number.isInteger(minFrequency) || minFrequency < 1) {
    throw new Error(`trainBpe: minFrequency must be a positive integer, got ${minFrequency}`);
  }
  const chunkCounts = new Map<string, number>();
  for (const caption of captions) {
    for (const chunk of pretokenize(normalizeText(caption)))
      chunkCounts.set(chunk, (chunkCounts.get(chunk) ?? 0) + 1);
  }
  const encoder = new TextEncoder();
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [chunk, count] of chunkCounts) {
    words.push(Array.from(encoder.encode(chunk), (b) => b + BYTE_OFFSET));
    freqs.push(count);
  }

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const applyDeltas = (w: number, deltas: Map<number, number>): void => {
    for (const [key, delta] of deltas) {
      if (delta === 0) continue;
      const count = (pairCounts.get(key) ?? 0) + delta;
      if (count <= 0) pairCounts.delete(key);
      else {
        pairCounts.set(key, count);
        heap.push(count, key);
      }
      if (delta > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  words.forEach((word, w) => {
    const deltas = new Map<number, number>();
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKey(word[i]!, word[i + 1]!);
      deltas.set(key, (deltas.get(key) ?? 0) + freqs[w]!);
    }
    applyDeltas(w, deltas);
  });

  const merges: [number, number][] = [];
  while (FIRST_MERGE_ID + merges.length < vocabSize) {
    let best: [number, number] | undefined;
    while ((best = heap.pop())) {
      if (pairCounts.get(best[1]) === best[0]) break; // not stale
    }
    if (!best || best[0] < minFrequency) break;
    const key = best[1];
    const a = Math.floor(key / KEY_BASE);
    const b = key % KEY_BASE;
    const merged = FIRST_MERGE_ID + merges.length;
    merges.push([a, b]);
    for (const w of pairWords.get(key) ?? []) {
      const word = words[w]!;
      const freq = freqs[w]!;
      const deltas = new Map<number, number>();
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(word[i]!);
      }
      if (next.length === word.length) continue;
      for (let i = 0; i + 1 < word.length; i++) {
        const k = pairKey(word[i]!, word[i + 1]!);
        deltas.set(k, (deltas.get(k) ?? 0) - freq);
      }
      for (let i = 0; i + 1 < next.length; i++) {
        const k = pairKey(next[i]!, next[i + 1]!);
        deltas.set(k, (deltas.get(k) ?? 0) + freq);
      }
      words[w] = next;
      applyDeltas(w, deltas);
    }
    pairCounts.delete(key);
    pairWords.delete(key);
  }
  return new Tokenizer(merges);
}

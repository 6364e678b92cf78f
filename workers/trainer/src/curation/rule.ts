// CiT's per-chunk selection rule (METHODS.md §1 step 4): keep captions scoring above the
// threshold; if fewer than minRatio of the chunk pass, keep the top ⌈minRatio·chunk⌉ instead.

export interface ChunkSelection {
  /** Indices into the chunk, in chunk order. */
  kept: number[];
  /** True when the γ fallback decided instead of the threshold. */
  gammaFired: boolean;
}

export function selectByThreshold(
  scores: ArrayLike<number>,
  threshold: number,
  minRatio: number,
): ChunkSelection {
  const n = scores.length;
  const passed: number[] = [];
  for (let i = 0; i < n; i++) if ((scores[i] as number) > threshold) passed.push(i);
  const floor = gammaFloor(minRatio, n);
  if (passed.length >= floor) return { kept: passed, gammaFired: false };
  return { kept: topK(scores, floor), gammaFired: true };
}

/** γ's floor: the fewest captions a chunk of n may keep, ⌈minRatio·n⌉. */
export function gammaFloor(minRatio: number, n: number): number {
  return Math.ceil(minRatio * n);
}

/** Indices of the k highest scores (ties by position), returned in chunk order. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return order.slice(0, Math.max(0, k)).sort((a, b) => a - b);
}

/** Histogram of scores in [-1, 1] with `bins` equal bins (for the per-round stats). */
export function scoreHistogram(scores: ArrayLike<number>, bins = 20): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const s = Math.min(1, Math.max(-1, scores[i] as number));
    const b = Math.min(bins - 1, Math.floor(((s + 1) / 2) * bins));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

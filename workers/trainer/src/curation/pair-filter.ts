// CiT's pair filter by evidence (ours): a kept pair whose image-text agreement is an outlier
// below the rest of the round (median − cutoff · 1.4826 · MAD, a robust z-score) is dropped;
// a round without such outliers is kept whole. Swapped captions and class names used as proper
// nouns sit far below aligned pairs once the towers have learnt a little.

/** The median of a list (NaN when empty). */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** The q-quantile of a list, linearly interpolated (NaN when empty). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** The agreement below which a pair is an outlier; -Infinity when the round has no spread. */
export function outlierFloor(agreement: ArrayLike<number>, cutoff: number): number {
  const m = median(agreement);
  const deviations = Array.from(agreement as ArrayLike<number>, (a) => Math.abs(a - m));
  const sigma = 1.4826 * median(deviations);
  if (!(sigma > 0)) return Number.NEGATIVE_INFINITY;
  return m - cutoff * sigma;
}

/** Indices of the pairs to drop: the outliers below the round's agreement. */
export function outlierPairs(agreement: ArrayLike<number>, cutoff: number): number[] {
  const floor = outlierFloor(agreement, cutoff);
  const out: number[] = [];
  for (let i = 0; i < agreement.length; i++) if ((agreement[i] as number) < floor) out.push(i);
  return out;
}

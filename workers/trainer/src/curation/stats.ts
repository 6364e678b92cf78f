// Small statistics the curation rounds decide by: medians and quantiles, and the AUC.

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

/**
 * The AUC of `above` against `below`: the probability that a random value of `above` exceeds a
 * random value of `below` (a tie counts as not exceeding). NaN when either group is empty.
 */
export function aucAbove(above: ArrayLike<number>, below: ArrayLike<number>): number {
  const n = above.length;
  const m = below.length;
  if (n === 0 || m === 0) return Number.NaN;
  const scores = [...Array.from(above), ...Array.from(below)];
  // Stable sort: on a tie the `above` value ranks first, below the `below` one.
  const order = scores
    .map((_, i) => i)
    .sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSum = 0;
  order.forEach((i, rank) => {
    if (i < n) rankSum += rank + 1;
  });
  return (rankSum - (n * (n + 1)) / 2) / (n * m);
}

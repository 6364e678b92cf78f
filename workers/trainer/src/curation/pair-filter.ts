// CiT's pair filter by evidence (ours): a round's image-caption agreement is fitted with two
// Gaussians; when a separate low mode stands out (its mean well below the upper one, and holding
// less than half the round), the pairs where it is the likelier are dropped; a round without one
// is kept whole. Swapped captions and class names used as proper nouns form that mode once the
// towers have learnt a little: a quarter to a third of the lexical hits on a web-like pool, too
// many to count as outliers of a single mode (a median/MAD rule kept most of them).
import { quantile } from './stats.js';

interface Component {
  weight: number;
  mean: number;
  sd: number;
}

const density = (c: Component, x: number) =>
  (c.weight / c.sd) * Math.exp(-0.5 * ((x - c.mean) / c.sd) ** 2);

/** A two-component Gaussian mixture fitted by EM (deterministic start: the 10th and 75th percentiles). */
export function fitTwoGaussians(xs: ArrayLike<number>, iterations = 60): [Component, Component] {
  const n = xs.length;
  const mean = Array.from(xs as ArrayLike<number>).reduce((a, b) => a + b, 0) / n;
  const sd0 = Math.sqrt(
    Array.from(xs as ArrayLike<number>).reduce((a, x) => a + (x - mean) ** 2, 0) / n,
  );
  const floorSd = Math.max(1e-6, sd0 / 100);
  let low: Component = { weight: 0.5, mean: quantile(xs, 0.1), sd: Math.max(floorSd, sd0 / 2) };
  let high: Component = { weight: 0.5, mean: quantile(xs, 0.75), sd: Math.max(floorSd, sd0 / 2) };
  const r = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const a = density(low, x);
      const b = density(high, x);
      r[i] = a + b > 0 ? a / (a + b) : x < (low.mean + high.mean) / 2 ? 1 : 0;
    }
    const fit = (w: (i: number) => number): Component => {
      let sw = 0;
      let sx = 0;
      for (let i = 0; i < n; i++) {
        sw += w(i);
        sx += w(i) * (xs[i] as number);
      }
      const m = sw > 0 ? sx / sw : mean;
      let sv = 0;
      for (let i = 0; i < n; i++) sv += w(i) * ((xs[i] as number) - m) ** 2;
      return {
        weight: sw / n,
        mean: m,
        sd: Math.max(floorSd, Math.sqrt(sv / Math.max(sw, 1e-12))),
      };
    };
    low = fit((i) => r[i] as number);
    high = fit((i) => 1 - (r[i] as number));
  }
  return low.mean <= high.mean ? [low, high] : [high, low];
}

/**
 * The agreement below which a pair belongs to a separate low mode: the point between the two
 * fitted components where the low one becomes the likelier; -Infinity when the round has no
 * such mode (the components overlap: their means less than `separation` of the upper one's sd
 * apart, or the low one holds half the round or more).
 */
export function outlierFloor(agreement: ArrayLike<number>, separation: number): number {
  if (agreement.length < 8) return Number.NEGATIVE_INFINITY;
  const [low, high] = fitTwoGaussians(agreement);
  if (low.weight >= 0.5 || high.mean - low.mean < separation * high.sd)
    return Number.NEGATIVE_INFINITY;
  // Bisect for the crossing of the weighted densities between the two means.
  let a = low.mean;
  let b = high.mean;
  for (let k = 0; k < 50; k++) {
    const m = (a + b) / 2;
    if (density(low, m) > density(high, m)) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

/** Indices of the pairs to drop: those in the round's separate low mode of agreement. */
export function outlierPairs(agreement: ArrayLike<number>, separation: number): number[] {
  const floor = outlierFloor(agreement, separation);
  const out: number[] = [];
  for (let i = 0; i < agreement.length; i++) if ((agreement[i] as number) < floor) out.push(i);
  return out;
}

// Pure helpers behind the charts: a metric series on the chosen x-axis, smoothing, merging live
// points in, and thinning to the few thousand points a chart draws at most.

export interface SeriesPoint {
  step: number;
  value: number;
  /** Milliseconds since the epoch. */
  at: number;
}

export const X_AXES = ['step', 'time', 'cost'] as const;
export type XAxis = (typeof X_AXES)[number];

/** How time and cost are counted: seconds from `startMs`, priced at `costPerSecond` (USD). */
export interface RunClock {
  startMs: number;
  costPerSecond: number;
}

export interface XY {
  xs: number[];
  ys: number[];
}

export function xOf(p: SeriesPoint, axis: XAxis, clock: RunClock): number {
  if (axis === 'step') return p.step;
  const seconds = Math.max(0, (p.at - clock.startMs) / 1000);
  return axis === 'time' ? seconds : seconds * clock.costPerSecond;
}

export function toXY(points: readonly SeriesPoint[], axis: XAxis, clock: RunClock): XY {
  return { xs: points.map((p) => xOf(p, axis, clock)), ys: points.map((p) => p.value) };
}

/** Exponential moving average with the bias correction TensorBoard uses; weight 0 = raw. */
export function smooth(ys: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...ys];
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    n++;
    return last / (1 - weight ** n);
  });
}

/** `existing` with `incoming` added, ordered by step; a repeated step keeps the newer value. */
export function mergePoints(
  existing: readonly SeriesPoint[],
  incoming: readonly SeriesPoint[],
): SeriesPoint[] {
  if (incoming.length === 0) return [...existing];
  const last = existing.at(-1);
  const sorted = [...incoming].sort((a, b) => a.step - b.step);
  if (!last || sorted[0]!.step > last.step) return [...existing, ...sorted];
  const byStep = new Map(existing.map((p) => [p.step, p]));
  for (const p of sorted) byStep.set(p.step, p);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/**
 * At most `max` points (max ≥ 4): the first and last, then per bucket of equal step width the
 * minimum and maximum, in step order, so spikes survive the thinning.
 */
export function thin(points: readonly SeriesPoint[], max: number): SeriesPoint[] {
  if (points.length <= max) return [...points];
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const first = points[0]!;
  const last = points.at(-1)!;
  const width = (last.step - first.step) / buckets || 1;
  const out: SeriesPoint[] = [first];
  let i = 1;
  for (let b = 0; b < buckets; b++) {
    const end = first.step + width * (b + 1);
    let lo: SeriesPoint | undefined;
    let hi: SeriesPoint | undefined;
    for (; i < points.length - 1 && (points[i]!.step < end || b === buckets - 1); i++) {
      const p = points[i]!;
      if (!lo || p.value < lo.value) lo = p;
      if (!hi || p.value > hi.value) hi = p;
    }
    if (lo && hi) out.push(...(lo === hi ? [lo] : lo.step <= hi.step ? [lo, hi] : [hi, lo]));
  }
  out.push(last);
  return out;
}

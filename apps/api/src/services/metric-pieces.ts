// The buckets of downsampled series made from their pieces (downsample-metrics.ts): each piece is
// a whole cell (its first, last, lowest and highest point) or one point, and the pieces of a
// bucket cover its points exactly once. A bucket keeps its first, last, lowest and highest point
// (the earliest on ties), each once, in step order.
import type { MetricName, RunMetric } from '@curio/contracts';

/**
 * [name, bucket, then step, value and arrival (epoch ms) of the first, last, lowest and highest
 * point]; a single point gives only the first three and nulls.
 */
export type Piece = [
  MetricName,
  number,
  ...[number, number, number],
  ...([number, number, number] | [null, null, null]),
  ...([number, number, number] | [null, null, null]),
  ...([number, number, number] | [null, null, null]),
];

interface Point {
  step: number;
  value: number;
  atMs: number;
}

interface Bucket {
  name: MetricName;
  first: Point;
  last: Point;
  low: Point;
  high: Point;
}

export function combinePieces(pieces: Piece[]): RunMetric[] {
  const buckets = new Map<string, Bucket>();
  for (const piece of pieces) {
    const [name, b] = piece;
    const first = pointAt(piece, 2);
    const [last, low, high] =
      piece[5] === null
        ? [first, first, first]
        : [pointAt(piece, 5), pointAt(piece, 8), pointAt(piece, 11)];
    const key = `${name}\u0000${b}`;
    const had = buckets.get(key);
    if (!had) {
      buckets.set(key, { name, first, last, low, high });
      continue;
    }
    if (first.step < had.first.step) had.first = first;
    if (last.step > had.last.step) had.last = last;
    if (low.value < had.low.value || (low.value === had.low.value && low.step < had.low.step))
      had.low = low;
    if (high.value > had.high.value || (high.value === had.high.value && high.step < had.high.step))
      had.high = high;
  }
  const kept = new Map<string, RunMetric & { atMs: number }>();
  for (const { name, first, last, low, high } of buckets.values())
    for (const p of [first, last, low, high])
      kept.set(`${name}\u0000${p.step}`, {
        name,
        step: p.step,
        value: p.value,
        at: '',
        atMs: p.atMs,
      });
  return [...kept.values()]
    .sort((a, b) => (a.name === b.name ? a.step - b.step : a.name < b.name ? -1 : 1))
    .map(({ name, step, value, atMs }) => ({
      name,
      step,
      value,
      at: new Date(atMs).toISOString(),
    }));
}

function pointAt(piece: Piece, i: number): Point {
  return { step: piece[i] as number, value: piece[i + 1] as number, atMs: piece[i + 2] as number };
}

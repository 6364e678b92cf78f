// How a series' steps fall into a chart's buckets (downsample-metrics.ts). Buckets are aligned to
// metric cells so that each is made of whole cells: the widest width of which the series' step
// range holds at least `buckets` cells, `perBucket` consecutive cells a bucket, counted from the
// series' first cell — so at most `buckets` buckets and, since the range holds at least as many
// cells, more than half that many. A range shorter than `buckets` cells of the finest width is cut
// by steps instead, into `buckets` equal parts (exact, read from its points).
import { METRIC_CELL_WIDTHS } from '@curio/db/schema';

export type BucketPlan =
  | { kind: 'points'; lo: number; span: number; buckets: number }
  | { kind: 'cells'; width: number; firstCell: number; perBucket: number };

/** The plan for a series whose steps lie in [lo, hi], cut into at most `buckets` buckets. */
export function planBuckets(lo: number, hi: number, buckets: number): BucketPlan {
  const cellsOf = (w: number) => Math.floor(hi / w) - Math.floor(lo / w) + 1;
  const width = [...METRIC_CELL_WIDTHS].reverse().find((w) => cellsOf(w) >= buckets);
  if (width === undefined) return { kind: 'points', lo, span: hi - lo + 1, buckets };
  return {
    kind: 'cells',
    width,
    firstCell: Math.floor(lo / width),
    perBucket: Math.ceil(cellsOf(width) / buckets),
  };
}

/** The bucket `step` falls in under `plan`. */
export function bucketOf(plan: BucketPlan, step: number): number {
  if (plan.kind === 'points') return Math.floor(((step - plan.lo) * plan.buckets) / plan.span);
  return Math.floor((Math.floor(step / plan.width) - plan.firstCell) / plan.perBucket);
}

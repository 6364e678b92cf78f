// What a pool that knows (the synthetic generator's shard json) says of a pair, for the round
// stats: aligned on-target pairs, swapped captions (an on-target caption on the wrong image), or
// off-target pairs. Real pools say nothing and the stats leave these counts out.
import type { CaptionSample } from '@curio/webdataset';

export type PairTruth = 'aligned' | 'swapped' | 'off-target';

export function pairTruth(s: CaptionSample): PairTruth | undefined {
  const kind = (s.json as { kind?: unknown } | undefined)?.kind;
  if (kind === 'on-target') return 'aligned';
  if (kind === 'mismatched') return 'swapped';
  if (kind === 'off-target') return 'off-target';
  return undefined;
}

/** Whether any of the pairs says what it is. */
export function knowsTruth(samples: readonly CaptionSample[]): boolean {
  return samples.some((s) => pairTruth(s) !== undefined);
}

/** How many of the pairs are `truth`. */
export function countTruth(samples: readonly CaptionSample[], truth: PairTruth): number {
  return samples.reduce((n, s) => n + (pairTruth(s) === truth ? 1 : 0), 0);
}

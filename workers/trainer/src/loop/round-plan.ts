// CiT's inner loop data (METHODS.md §1): the curated buffer, shuffled, cut into `steps` batches.
// Batches are drawn per source as the sampling mode says (ZeroVL debiased: one source a batch,
// chosen ∝ its share of the buffer). A buffer smaller than a batch gives smaller batches (a
// contrastive batch must not repeat a pair: duplicates would be false negatives).
import type { TrainingSpec } from '@curio/contracts';
import type { CaptionSample } from '@curio/webdataset';
import type { EncodedBatch } from '../data/index.js';
import { SourceSchedule } from '../data/index.js';
import { Rng } from '@curio/random';

export interface RoundPlanOptions {
  buffer: readonly CaptionSample[];
  steps: number;
  /** Index of the round's first batch (the global step it trains at). */
  firstStep: number;
  batchSize: number;
  /** Batch sizes must be a multiple of this (DGA sub-batch). */
  multipleOf: number;
  sampling: TrainingSpec['sampling'];
  seed: number;
  /** Pairs outside the buffer to mix in (CiT exploration), and their share of each batch. */
  explore?: { pool: readonly CaptionSample[]; share: number };
}

export function planRound(o: RoundPlanOptions): EncodedBatch[] {
  if (o.buffer.length === 0)
    throw new Error('curation kept no pairs this round: nothing to train on');
  const names = [...new Set(o.buffer.map((s) => s.source))];
  const rng = Rng.derive(o.seed, 'round-plan', o.firstStep);
  const bySource = names.map((n) => rng.shuffle(o.buffer.filter((s) => s.source === n)));
  const cursors = names.map(() => 0);
  const size = Math.max(
    o.multipleOf,
    Math.floor(Math.min(o.batchSize, o.buffer.length) / o.multipleOf) * o.multipleOf,
  );
  const schedule = new SourceSchedule({
    mode: o.sampling,
    sizes: bySource.map((s) => s.length),
    seed: Rng.derive(o.seed, 'round-sources', o.firstStep).nextUint32(),
  });
  const take = (src: number): CaptionSample => {
    const list = bySource[src] as CaptionSample[];
    if ((cursors[src] as number) >= list.length) {
      rng.shuffle(list);
      cursors[src] = 0;
    }
    const s = list[cursors[src] as number] as CaptionSample;
    cursors[src] = (cursors[src] as number) + 1;
    return s;
  };
  const batches: EncodedBatch[] = [];
  for (let k = 0; k < o.steps; k++) {
    const samples: CaptionSample[] = [];
    const seen = new Set<string>();
    const taken = names.map(() => 0);
    const hasRoom = (i: number) => (taken[i] as number) < (bySource[i] as CaptionSample[]).length;
    for (const wanted of schedule.next(size)) {
      // A source smaller than the batch cannot fill it without repeats: the others fill in.
      const src = hasRoom(wanted) ? wanted : names.findIndex((_, i) => hasRoom(i));
      if (src < 0) break;
      let s = take(src);
      while (seen.has(s.id)) s = take(src);
      seen.add(s.id);
      taken[src] = (taken[src] as number) + 1;
      samples.push(s);
    }
    batches.push({ index: o.firstStep + k, samples: mixIn(samples, o.explore, rng) });
  }
  return batches;
}

/** Replace the last ⌊share·n⌋ samples of a batch with random pairs from outside the buffer. */
function mixIn(
  samples: CaptionSample[],
  explore: RoundPlanOptions['explore'],
  rng: Rng,
): CaptionSample[] {
  if (!explore || explore.share <= 0 || explore.pool.length === 0) return samples;
  const n = Math.min(Math.floor(explore.share * samples.length), explore.pool.length);
  const keep = samples.slice(0, samples.length - n);
  const ids = new Set(keep.map((s) => s.id));
  const extra = rng
    .shuffle([...explore.pool])
    .filter((s) => !ids.has(s.id))
    .slice(0, n);
  return [...keep, ...extra];
}

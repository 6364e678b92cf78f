// Where training batches come from, per curation mode: `none` streams the whole pool, `cit`
// curates a buffer every `interval` steps with the current model, `offline` curates once.
// Each feed knows what to keep in a checkpoint so that resuming from it is exact at any step: a
// checkpoint taken mid-round keeps the round's buffer (pair ids), so the round's plan is rebuilt.
import type { CurationRoundStats, Curator } from '../curation/curator.js';
import type { DataState, RoundState } from '../checkpoint/checkpoint.js';
import {
  captionStream,
  type CaptionSample,
  type DataStats,
  type PoolIndexEntry,
  type PoolShard,
} from '@curio/webdataset';
import {
  decodeBatches,
  PoolBatcher,
  type AugmentOptions,
  type DecodedTrainingBatch,
  type EncodedBatch,
  type PoolBatch,
} from '../data/index.js';
import type { AdaptiveSampling } from './adaptive-sampling.js';
import type { RunSpec, TrainingSpec } from '@curio/contracts';
import { planRound } from './round-plan.js';
import { nextTurn } from './event-loop.js';

export interface DataFeed {
  /** The batch for `step` (0-based); may run a curation round first. */
  next(step: number): Promise<DecodedTrainingBatch>;
  /** What a checkpoint taken after `stepsDone` steps (the last batch handed out) keeps. */
  state(stepsDone: number): DataState;
  /** Set after each curation round; undefined for `none`. */
  onRound?: (stats: CurationRoundStats) => void;
  /** Set when adaptive source weights change (before the batch they first apply to). */
  onSourceWeights?: (weights: Record<string, number>) => void;
  close(): Promise<void>;
}

export interface FeedCommon {
  imageSize: number;
  augment: AugmentOptions;
  seed: number;
  stats: DataStats;
  prefetch: number;
  batchSize: number;
  multipleOf: number;
  sampling: TrainingSpec['sampling'];
}

/** The settings every feed of a run shares, from its spec. */
export function feedCommon(spec: RunSpec, imageSize: number, stats: DataStats): FeedCommon {
  const tr = spec.training;
  return {
    imageSize,
    augment: tr.augment,
    seed: spec.seed,
    stats,
    prefetch: spec.data.prefetchBatches,
    batchSize: tr.batchSize,
    multipleOf: tr.subBatch ?? 1,
    sampling: tr.sampling,
  };
}

type Decoded<B extends EncodedBatch> = AsyncIterator<DecodedTrainingBatch<B>>;

function decoder<B extends EncodedBatch>(batches: AsyncIterable<B>, c: FeedCommon): Decoded<B> {
  return decodeBatches(batches, {
    size: c.imageSize,
    augment: c.augment,
    seed: c.seed,
    stats: c.stats,
    prefetch: c.prefetch,
  })[Symbol.asyncIterator]();
}

/** The next batch, after a turn of the event loop: a worker's heartbeat beats between steps. */
async function take<B extends EncodedBatch>(
  it: Decoded<B>,
  what: string,
): Promise<DecodedTrainingBatch<B>> {
  await nextTurn();
  const r = await it.next();
  if (r.done) throw new Error(`${what} ran out of batches`);
  if (r.value.samples.length < 2)
    throw new Error(`${what}: a batch decoded to ${r.value.samples.length} usable pairs`);
  return r.value;
}

/**
 * `curation: none`: the whole pool, shuffled in windows, sampled across sources (∝ size, or by
 * adaptive weights: when they change, the batches read ahead are dropped and the batcher restarts
 * from the last batch handed out, so the weights set before step s apply from batch s on).
 */
export function poolFeed(
  index: readonly PoolIndexEntry[],
  c: FeedCommon,
  resume?: PoolBatch['resume'],
  adaptive?: AdaptiveSampling,
): DataFeed {
  let last = resume;
  const open = () =>
    decoder(
      new PoolBatcher({
        index,
        batchSize: c.batchSize,
        sampling: c.sampling,
        seed: c.seed,
        stats: c.stats,
        ...(last ? { state: last } : {}),
        ...(adaptive?.weights ? { weights: adaptive.weights, heldOut: adaptive.heldOutIds } : {}),
      }),
      c,
    );
  let it: Decoded<PoolBatch> | undefined;
  const feed: DataFeed = {
    async next(step) {
      const changed = await adaptive?.at(step);
      if (changed) {
        await it?.return?.();
        it = undefined;
        feed.onSourceWeights?.(changed);
      }
      it ??= open();
      const b = await take(it, 'the pool');
      last = b.batch.resume;
      return b;
    },
    state: () => {
      const sourceWeights = adaptive?.state();
      return {
        mode: 'none',
        batcher:
          last ??
          new PoolBatcher({
            index,
            batchSize: c.batchSize,
            sampling: c.sampling,
            seed: c.seed,
          }).state(),
        ...(sourceWeights ? { sourceWeights } : {}),
      };
    },
    close: async () => void (await it?.return?.()),
  };
  return feed;
}

/** One round's training pairs: the curated buffer and the rejected pairs it mixes in. */
interface RoundData {
  buffer: readonly CaptionSample[];
  explore?: { pool: readonly CaptionSample[]; share: number };
}

/** A round: its first step, how many steps it trains for, and its pairs. */
interface PlannedRound {
  start: number;
  steps: number;
  data: RoundData;
}

/**
 * Buffers planned round by round: `fresh(step)` gives the next round's pairs and length (CiT
 * curates anew); a round ends after its own number of steps.
 */
function roundFeed(
  c: FeedCommon,
  fresh: (step: number) => Promise<PlannedRound>,
  state: (midRound: RoundState | undefined) => DataState,
  resumed?: PlannedRound,
): DataFeed {
  let it: Decoded<EncodedBatch> | undefined;
  let current = resumed;
  const inRound = (step: number) =>
    current !== undefined && step >= current.start && step < current.start + current.steps;
  return {
    async next(step) {
      if (!it || !inRound(step)) {
        await it?.return?.();
        if (!inRound(step)) current = await fresh(step);
        const round = current as PlannedRound;
        const plan = planRound({
          buffer: round.data.buffer,
          ...(round.data.explore ? { explore: round.data.explore } : {}),
          steps: round.steps,
          firstStep: round.start,
          batchSize: c.batchSize,
          multipleOf: c.multipleOf,
          sampling: c.sampling,
          seed: c.seed,
        });
        it = decoder(toAsync(plan.slice(step - round.start)), c);
      }
      return take(it, 'the curated buffer');
    },
    state: (stepsDone) =>
      state(
        current && stepsDone > current.start && inRound(stepsDone)
          ? {
              start: current.start,
              steps: current.steps,
              keptIds: current.data.buffer.map((s) => s.id),
              exploreIds: (current.data.explore?.pool ?? []).map((s) => s.id),
            }
          : undefined,
      ),
    close: async () => void (await it?.return?.()),
  };
}

/** `curation: cit`: a new curation round when the last one's steps are done; `explore` of each batch from rejected pairs. */
export function citFeed(
  curator: Curator,
  c: FeedCommon,
  explore: number,
  resume?: {
    round?: { start: number; steps: number; kept: CaptionSample[]; explore: CaptionSample[] };
  },
): DataFeed {
  const r = resume?.round;
  const feed = roundFeed(
    c,
    async (step) => {
      const { buffer, rejected, stats } = await curator.round();
      feed.onRound?.(stats);
      const data = { buffer, explore: { pool: rejected, share: explore } };
      return { start: step, steps: stats.steps, data };
    },
    (round) => ({ mode: 'cit', ...curator.state(), ...(round ? { round } : {}) }),
    r && {
      start: r.start,
      steps: r.steps,
      data: { buffer: r.kept, explore: { pool: r.explore, share: explore } },
    },
  );
  return feed;
}

/** `curation: offline`: one round over the whole pool with the initial model, then that buffer. */
export function offlineFeed(
  curate: () => Promise<readonly CaptionSample[]>,
  interval: number,
  c: FeedCommon,
): DataFeed {
  let buffer: readonly CaptionSample[] | undefined;
  return roundFeed(
    c,
    // Rounds of `interval` steps from step 0: a resumed run plans the same round again.
    async (step) => ({
      start: step - (step % interval),
      steps: interval,
      data: { buffer: (buffer ??= await curate()) },
    }),
    () => ({ mode: 'offline', keptIds: (buffer ?? []).map((s) => s.id) }),
  );
}

/** Re-read pairs by id (an offline run's buffer, a mid-round CiT buffer), in the order given. */
export async function readKept(
  shards: readonly PoolShard[],
  ids: readonly string[],
  stats: DataStats,
): Promise<CaptionSample[]> {
  const wanted = new Set(ids);
  const found = new Map<string, CaptionSample>();
  for await (const s of captionStream(shards, { stats })) if (wanted.has(s.id)) found.set(s.id, s);
  if (found.size < wanted.size)
    throw new Error(
      `resume: ${wanted.size - found.size} of the curated pairs are no longer in the pool`,
    );
  return ids.map((id) => found.get(id) as CaptionSample);
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

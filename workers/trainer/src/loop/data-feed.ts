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
import type { RunSpec, TrainingSpec } from '@curio/contracts';
import { planRound } from './round-plan.js';

export interface DataFeed {
  /** The batch for `step` (0-based); may run a curation round first. */
  next(step: number): Promise<DecodedTrainingBatch>;
  /** What a checkpoint taken after `stepsDone` steps (the last batch handed out) keeps. */
  state(stepsDone: number): DataState;
  /** Set after each curation round; undefined for `none`. */
  onRound?: (stats: CurationRoundStats) => void;
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

async function take<B extends EncodedBatch>(
  it: Decoded<B>,
  what: string,
): Promise<DecodedTrainingBatch<B>> {
  const r = await it.next();
  if (r.done) throw new Error(`${what} ran out of batches`);
  if (r.value.samples.length < 2)
    throw new Error(`${what}: a batch decoded to ${r.value.samples.length} usable pairs`);
  return r.value;
}

/** `curation: none`: the whole pool, shuffled in windows, sampled across sources. */
export function poolFeed(
  index: readonly PoolIndexEntry[],
  c: FeedCommon,
  resume?: PoolBatch['resume'],
): DataFeed {
  const batcher = new PoolBatcher({
    index,
    batchSize: c.batchSize,
    sampling: c.sampling,
    seed: c.seed,
    stats: c.stats,
    state: resume,
  });
  const it = decoder(batcher, c);
  let last = resume ?? batcher.state();
  return {
    async next() {
      const b = await take(it, 'the pool');
      last = b.batch.resume;
      return b;
    },
    state: () => ({ mode: 'none', batcher: last }),
    close: async () => void (await it.return?.()),
  };
}

/** One round's training pairs: the curated buffer and the rejected pairs it mixes in. */
interface RoundData {
  buffer: readonly CaptionSample[];
  explore?: { pool: readonly CaptionSample[]; share: number };
}

/** Buffers planned round by round: `fresh()` gives the round's buffer (CiT curates anew). */
function roundFeed(
  c: FeedCommon,
  interval: number,
  fresh: (step: number) => Promise<RoundData>,
  state: (midRound: RoundState | undefined) => DataState,
  resumed?: { start: number; data: RoundData },
): DataFeed {
  let it: Decoded<EncodedBatch> | undefined;
  let current = resumed;
  return {
    async next(step) {
      if (step % interval === 0 || !it) {
        await it?.return?.();
        const roundStart = step - (step % interval);
        const data = current?.start === roundStart ? current.data : await fresh(roundStart);
        current = { start: roundStart, data };
        const plan = planRound({
          buffer: data.buffer,
          ...(data.explore ? { explore: data.explore } : {}),
          steps: interval,
          firstStep: roundStart,
          batchSize: c.batchSize,
          multipleOf: c.multipleOf,
          sampling: c.sampling,
          seed: c.seed,
        });
        it = decoder(toAsync(plan.slice(step - roundStart)), c);
      }
      return take(it, 'the curated buffer');
    },
    state: (stepsDone) =>
      state(
        current && stepsDone % interval !== 0
          ? {
              start: current.start,
              keptIds: current.data.buffer.map((s) => s.id),
              exploreIds: (current.data.explore?.pool ?? []).map((s) => s.id),
            }
          : undefined,
      ),
    close: async () => void (await it?.return?.()),
  };
}

/** `curation: cit`: a new curation round every `interval` steps; `explore` of each batch from rejected pairs. */
export function citFeed(
  curator: Curator,
  interval: number,
  c: FeedCommon,
  explore: number,
  resume?: {
    rounds: number;
    round?: { start: number; kept: CaptionSample[]; explore: CaptionSample[] };
  },
): DataFeed {
  let done = resume?.rounds ?? 0;
  const r = resume?.round;
  const feed = roundFeed(
    c,
    interval,
    async () => {
      const { buffer, rejected, stats } = await curator.round();
      done++;
      feed.onRound?.(stats);
      return { buffer, explore: { pool: rejected, share: explore } };
    },
    (round) => ({ mode: 'cit', ...curator.state(), rounds: done, ...(round ? { round } : {}) }),
    r && { start: r.start, data: { buffer: r.kept, explore: { pool: r.explore, share: explore } } },
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
    interval,
    async () => ({ buffer: (buffer ??= await curate()) }),
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

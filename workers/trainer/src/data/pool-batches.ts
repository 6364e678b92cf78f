// Batches over the whole pool (`curation: none`): each source is streamed endlessly through a
// seeded shuffle window, and a SourceSchedule says which source fills each batch (debiased,
// mixed, sequential; sources drawn ∝ size or ∝ given weights), leaving out held-out pairs. Every batch carries the state to resume right after it, so a checkpoint
// taken after training on batch i resumes with batch i + 1 even when batches were prefetched.
import { Rng } from '@curio/random';
import type { CaptionSample } from '@curio/webdataset';
import type { PoolIndexEntry } from '@curio/webdataset';
import { ShuffleWindow, type ShuffleWindowState } from './shuffle-window.js';
import { SourceSchedule, type SamplingMode, type SourceScheduleState } from './source-sampling.js';
import type { DataStats } from '@curio/webdataset';

export interface PoolBatcherState {
  /** Index of the next batch. */
  batchIndex: number;
  schedule: SourceScheduleState;
  /** Per source name. */
  sources: Record<string, ShuffleWindowState>;
}

export interface PoolBatch {
  index: number;
  samples: CaptionSample[];
  /** Pass this as `state` to continue right after this batch. */
  resume: PoolBatcherState;
}

export interface PoolBatcherOptions {
  /** The pool index (shards with their usable pair counts), e.g. from buildPoolIndex. */
  index: readonly PoolIndexEntry[];
  batchSize: number;
  sampling: SamplingMode;
  /** Draw sources ∝ these (per source name) instead of their sizes. */
  weights?: Readonly<Record<string, number>>;
  /** Pairs never put in a batch (per source name: ids), e.g. the held-out slices. */
  heldOut?: ReadonlyMap<string, ReadonlySet<string>>;
  seed: number;
  /** Samples per shuffle window and source (default 1024). */
  shuffleWindow?: number;
  stats?: DataStats;
  state?: PoolBatcherState;
}

export class PoolBatcher implements AsyncIterable<PoolBatch> {
  private readonly names: string[];
  private readonly windows: ShuffleWindow[];
  private readonly schedule: SourceSchedule;
  private batchIndex: number;

  constructor(private readonly options: PoolBatcherOptions) {
    const { index, batchSize, seed } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0)
      throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    const bySource = new Map<string, PoolIndexEntry[]>();
    for (const entry of index) {
      if (entry.count <= 0) continue;
      bySource.set(entry.source, [...(bySource.get(entry.source) ?? []), entry]);
    }
    if (bySource.size === 0) throw new Error('the pool index has no shard with usable samples');
    this.names = [...bySource.keys()];
    const sizes = this.names.map((n) => {
      const size = (bySource.get(n) ?? []).reduce((sum, e) => sum + e.count, 0);
      const held = options.heldOut?.get(n)?.size ?? 0;
      if (held >= size)
        throw new Error(
          `source "${n}" has ${size} usable pairs, all of them held out (${held}); lower training.sourceWeights.heldOut`,
        );
      return size - held;
    });
    const weights = options.weights;
    for (const name of weights ? this.names : [])
      if (weights?.[name] === undefined)
        throw new Error(`source weights have no entry for source "${name}"`);
    const state = options.state;
    for (const name of this.names) {
      if (state && !state.sources[name])
        throw new Error(`pool batcher state has no entry for source "${name}"`);
    }
    this.schedule = new SourceSchedule({
      mode: options.sampling,
      sizes,
      ...(weights ? { weights: this.names.map((n) => weights[n] as number) } : {}),
      seed,
      state: state?.schedule,
    });
    this.windows = this.names.map(
      (name) =>
        new ShuffleWindow(bySource.get(name) ?? [], {
          window: options.shuffleWindow ?? 1024,
          rng: Rng.derive(seed, 'shuffle', name),
          stats: options.stats,
          state: state?.sources[name],
          ...(options.heldOut?.has(name) ? { skip: options.heldOut.get(name) } : {}),
        }),
    );
    this.batchIndex = state?.batchIndex ?? 0;
  }

  state(): PoolBatcherState {
    const sources: Record<string, ShuffleWindowState> = {};
    this.names.forEach((name, i) => (sources[name] = (this.windows[i] as ShuffleWindow).state()));
    return { batchIndex: this.batchIndex, schedule: this.schedule.state(), sources };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<PoolBatch> {
    try {
      for (;;) {
        const plan = this.schedule.next(this.options.batchSize);
        const samples: CaptionSample[] = [];
        for (const source of plan)
          samples.push(await (this.windows[source] as ShuffleWindow).take());
        const index = this.batchIndex++;
        yield { index, samples, resume: this.state() };
      }
    } finally {
      await Promise.all(this.windows.map((w) => w.close()));
    }
  }
}

// Adaptive source weights in a run (`training.sourceWeights.mode: adaptive`): the held-out slices,
// the weights in force and the held-out losses they were set from. Before step 0 the weights are
// ∝ size (ZeroVL's) and the losses are measured as the baseline; before every step that is a
// multiple of `interval` the losses are measured again and the weights set by the rule of
// ../data/source-weights.ts. The state goes into checkpoints, so a resumed run sets the same
// weights at the same steps.
import type { RunSpec, SourceWeightsSpec } from '@curio/contracts';
import type { CaptionSample, DataStats, PoolIndexEntry, PoolShard } from '@curio/webdataset';
import {
  adaptiveWeights,
  chanceLoss,
  improvements,
  learnedSources,
  proportionalWeights,
  smoothedImprovements,
  type SourceWeightsState,
} from '../data/index.js';
import { heldOutLoss, pickHeldOut, type HeldOutLossOptions } from './held-out.js';
import type { Trainables } from './setup.js';

export interface AdaptiveSamplingOptions {
  settings: SourceWeightsSpec;
  /** The pool index: source sizes (less the held-out pairs) for the starting weights. */
  index: readonly PoolIndexEntry[];
  /** Per source name, its held-out pairs (./held-out.ts). */
  heldOut: ReadonlyMap<string, readonly CaptionSample[]>;
  /** The current model's loss on each source's held-out pairs, in the order of `heldOut`. */
  measure: () => Promise<number[]>;
  /** Pairs per chunk of that loss: its chance level is ln of it. */
  chunk: number;
  state?: SourceWeightsState;
}

export class AdaptiveSampling {
  private readonly names: string[];
  /** Held-out ids per source: what the batcher leaves out. */
  readonly heldOutIds: ReadonlyMap<string, ReadonlySet<string>>;
  private current: SourceWeightsState | undefined;
  /** The held-out loss of a model that knows nothing: ln of the chunk. */
  private readonly chance: number;

  constructor(private readonly o: AdaptiveSamplingOptions) {
    this.names = [...o.heldOut.keys()];
    this.chance = chanceLoss(o.chunk);
    this.heldOutIds = new Map(
      [...o.heldOut].map(([name, pairs]) => [name, new Set(pairs.map((p) => p.id))]),
    );
    const state = o.state;
    for (const name of state ? this.names : [])
      if (state?.weights[name] === undefined || state.heldOutLoss[name] === undefined)
        throw new Error(`checkpoint: the source weights have no entry for source "${name}"`);
    this.current = state;
  }

  /** The weights in force, per source name (undefined before the first `at`). */
  get weights(): Readonly<Record<string, number>> | undefined {
    return this.current?.weights;
  }

  /** Called before the batch of `step`: the new weights when they change at this step. */
  async at(step: number): Promise<Record<string, number> | undefined> {
    const { interval } = this.o.settings;
    const due =
      this.current === undefined || (step % interval === 0 && step > this.current.updatedAt);
    if (!due) return undefined;
    const losses = await this.o.measure();
    const previous = this.current;
    const trend = previous && this.trendAfter(previous, losses);
    const { settings } = this.o;
    const weights = trend
      ? adaptiveWeights(trend, settings, learnedSources(losses, this.chance, settings.chanceMargin))
      : proportionalWeights(this.names.map((n) => this.trainableSize(n)));
    this.current = {
      weights: this.byName(weights),
      heldOutLoss: this.byName(losses),
      ...(trend ? { trend: this.byName(trend) } : {}),
      updatedAt: step,
    };
    return this.current.weights;
  }

  /** Δ̄ after this update's losses (a checkpoint from before Δ̄ was kept starts it afresh). */
  private trendAfter(previous: SourceWeightsState, losses: number[]): number[] {
    const deltas = improvements(this.lossesOf(previous), losses, this.chance);
    const before = previous.trend && this.names.map((n) => previous.trend?.[n]);
    const known = before?.every((x) => x !== undefined) ? (before as number[]) : undefined;
    return smoothedImprovements(known, deltas, this.o.settings.smoothing);
  }

  /** What a checkpoint keeps (undefined before the first update). */
  state(): SourceWeightsState | undefined {
    return this.current && structuredClone(this.current);
  }

  private lossesOf(state: SourceWeightsState): number[] {
    return this.names.map((n) => state.heldOutLoss[n] as number);
  }

  private trainableSize(name: string): number {
    const size = this.o.index.filter((e) => e.source === name).reduce((n, e) => n + e.count, 0);
    return Math.max(0, size - (this.heldOutIds.get(name)?.size ?? 0));
  }

  private byName(values: readonly number[]): Record<string, number> {
    return Object.fromEntries(this.names.map((n, i) => [n, values[i] as number]));
  }
}

/** A run's adaptive sampling: held-out slices picked, losses measured with the run's model. */
export async function adaptiveSampling(
  spec: RunSpec,
  t: Trainables,
  shards: readonly PoolShard[],
  index: readonly PoolIndexEntry[],
  stats: DataStats,
  state: SourceWeightsState | undefined,
): Promise<AdaptiveSampling> {
  const settings = spec.training.sourceWeights;
  const names = spec.pool.sources.map((s) => s.name);
  const heldOut = await pickHeldOut(shards, names, settings.heldOut, stats);
  const options: HeldOutLossOptions = {
    chunk: Math.min(spec.training.batchSize, settings.heldOut),
    direction: spec.training.lossDirection,
    stats,
  };
  const measure = async () => {
    const losses: number[] = [];
    for (const pairs of heldOut.values())
      losses.push(await heldOutLoss(t.model, t.tokenizer, pairs, options));
    return losses;
  };
  return new AdaptiveSampling({
    settings,
    index,
    heldOut,
    measure,
    chunk: options.chunk,
    ...(state ? { state } : {}),
  });
}

// Which pool source each sample of a batch comes from (ZeroVL §2): `debiased` draws every batch
// from one source, picked with probability ∝ its size; `mixed` picks each sample's source ∝ size;
// `sequential` goes through the sources in order, each for as many batches as it has data.
// `weights`, when given, replace the sizes in the draws of `debiased` and `mixed` (adaptive source
// weights, ./source-weights.ts).
import { Rng, type RngState } from '@curio/random';

export type SamplingMode = 'debiased' | 'mixed' | 'sequential';
export const SAMPLING_MODES: readonly SamplingMode[] = ['debiased', 'mixed', 'sequential'];

/** Index of a source drawn with probability ∝ its size (or any non-negative weight). */
export function chooseSource(sizes: readonly number[], rng: Rng): number {
  const total = sizes.reduce((a, b) => a + b, 0);
  let r = rng.next() * total;
  for (let i = 0; i < sizes.length; i++) {
    r -= sizes[i] as number;
    if (r < 0) return i;
  }
  // Rounding: the last source with data.
  for (let i = sizes.length - 1; i >= 0; i--) if ((sizes[i] as number) > 0) return i;
  throw new Error('chooseSource: every source is empty');
}

export interface SourceScheduleState {
  rng: RngState;
  /** `sequential` only: the current source and the batches it still has to give. */
  current: number;
  batchesLeft: number;
}

export interface SourceScheduleOptions {
  mode: SamplingMode;
  /** Usable pairs per source. */
  sizes: readonly number[];
  /** Draw `debiased` and `mixed` sources ∝ these instead of the sizes (one per source). */
  weights?: readonly number[];
  seed: number;
  state?: SourceScheduleState;
}

export class SourceSchedule {
  private readonly rng: Rng;
  private current: number;
  private batchesLeft: number;
  readonly mode: SamplingMode;
  readonly sizes: readonly number[];
  /** What `debiased` and `mixed` draw sources in proportion to. */
  readonly weights: readonly number[];

  constructor(options: SourceScheduleOptions) {
    const { mode, sizes } = options;
    if (!SAMPLING_MODES.includes(mode))
      throw new Error(
        `unknown sampling mode "${String(mode)}" (expected ${SAMPLING_MODES.join(', ')})`,
      );
    if (sizes.length === 0) throw new Error('source sampling needs at least one source');
    sizes.forEach((s, i) => {
      if (!Number.isFinite(s) || s < 0)
        throw new Error(`source sampling: size of source ${i} must be ≥ 0, got ${s}`);
    });
    if (!sizes.some((s) => s > 0)) throw new Error('source sampling: every source is empty');
    const weights = options.weights ?? sizes;
    if (weights.length !== sizes.length)
      throw new Error(`source sampling: ${weights.length} weights for ${sizes.length} sources`);
    if (weights.some((w) => !Number.isFinite(w) || w < 0) || !weights.some((w) => w > 0))
      throw new Error(
        `source sampling: weights must be ≥ 0 and not all 0, got ${weights.join(', ')}`,
      );
    this.mode = mode;
    this.sizes = [...sizes];
    this.weights = [...weights];
    this.rng = options.state
      ? new Rng(options.state.rng)
      : Rng.derive(options.seed, 'source-schedule');
    this.current = options.state?.current ?? -1;
    this.batchesLeft = options.state?.batchesLeft ?? 0;
  }

  /** The source index of every sample of the next batch of `batchSize`. */
  next(batchSize: number): number[] {
    if (!Number.isInteger(batchSize) || batchSize <= 0)
      throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    if (this.mode === 'mixed')
      return Array.from({ length: batchSize }, () => chooseSource(this.weights, this.rng));
    if (this.mode === 'debiased')
      return new Array<number>(batchSize).fill(chooseSource(this.weights, this.rng));
    while (this.batchesLeft <= 0) {
      this.current = (this.current + 1) % this.sizes.length;
      this.batchesLeft = Math.ceil((this.sizes[this.current] as number) / batchSize);
    }
    this.batchesLeft -= 1;
    return new Array<number>(batchSize).fill(this.current);
  }

  state(): SourceScheduleState {
    return { rng: this.rng.state(), current: this.current, batchesLeft: this.batchesLeft };
  }
}

// A seeded shuffle over an endless stream that can be resumed exactly: the stream is read in
// windows of `window` samples, each window is shuffled and handed out in that order. The state
// (where the window started, the Rng before its shuffle, how many were handed out) is enough to
// rebuild the same window after a restart.
import { Rng, type RngState } from '@curio/random';
import { CaptionStream, type CaptionSample, type PoolPosition } from '@curio/webdataset';
import type { PoolShard } from '@curio/webdataset';
import type { DataStats } from '@curio/webdataset';

export interface ShuffleWindowState {
  windowStart: PoolPosition;
  rng: RngState;
  taken: number;
}

export interface ShuffleWindowOptions {
  window: number;
  rng: Rng;
  stats?: DataStats;
  state?: ShuffleWindowState;
  /** Ids of pairs never handed out (a held-out slice); the stream must hold others. */
  skip?: ReadonlySet<string>;
}

export class ShuffleWindow {
  private stream: CaptionStream;
  private iterator: AsyncIterator<CaptionSample>;
  private buffer: CaptionSample[] = [];
  private taken = 0;
  private windowStart: PoolPosition;
  private rngAtWindow: RngState;
  private rng: Rng;
  private pendingResume: number;

  constructor(
    shards: readonly PoolShard[],
    private readonly options: ShuffleWindowOptions,
  ) {
    if (!Number.isInteger(options.window) || options.window <= 0) {
      throw new Error(`shuffle window must be a positive integer, got ${options.window}`);
    }
    const state = options.state;
    this.rng = state ? new Rng(state.rng) : options.rng;
    this.stream = new CaptionStream(shards, {
      loop: true,
      start: state?.windowStart,
      stats: options.stats,
    });
    this.iterator = this.stream[Symbol.asyncIterator]();
    this.windowStart = this.stream.position;
    this.rngAtWindow = this.rng.state();
    this.pendingResume = state?.taken ?? 0;
  }

  private async fill(): Promise<void> {
    this.windowStart = this.stream.position;
    this.rngAtWindow = this.rng.state();
    this.buffer = [];
    while (this.buffer.length < this.options.window) {
      const r = await this.iterator.next();
      if (r.done) break;
      if (this.options.skip?.has(r.value.id)) continue;
      this.buffer.push(r.value);
    }
    this.rng.shuffle(this.buffer);
    this.taken = 0;
  }

  /** The next sample. */
  async take(): Promise<CaptionSample> {
    if (this.taken >= this.buffer.length) {
      await this.fill();
      if (this.pendingResume > 0) {
        this.taken = Math.min(this.pendingResume, this.buffer.length);
        this.pendingResume = 0;
        if (this.taken >= this.buffer.length) return this.take();
      }
    }
    return this.buffer[this.taken++] as CaptionSample;
  }

  state(): ShuffleWindowState {
    if (this.buffer.length === 0)
      return { windowStart: this.windowStart, rng: this.rngAtWindow, taken: this.pendingResume };
    return { windowStart: { ...this.windowStart }, rng: this.rngAtWindow, taken: this.taken };
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

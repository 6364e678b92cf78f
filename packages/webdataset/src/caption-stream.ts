// The pool as one stream of captions with their still-encoded images, for curation: nothing is
// decoded, so a curated sample's image can be decoded later, only if it is kept. The stream can
// loop over the pool forever and resume from a saved position (checkpoints).
import type { PoolShard } from './pool-index.js';
import { createDataStats, type DataStats } from './stats.js';
import { readWebDataset, type ImageExt } from './webdataset.js';

export interface CaptionSample {
  /** Unique within the pool: "<shard path>#<key>". */
  id: string;
  source: string;
  shard: string;
  key: string;
  caption: string;
  /** The encoded image, as stored in the shard. */
  imageBytes: Buffer;
  imageExt: ImageExt;
  json?: unknown;
}

/** Where the stream stands: the next sample to hand out is sample `sampleIndex` of shard `shardIndex`. */
export interface PoolPosition {
  epoch: number;
  shardIndex: number;
  /** Counts usable samples only (those the stream yields). */
  sampleIndex: number;
}

export interface CaptionStreamOptions {
  /** Problems met while reading are counted here. */
  stats?: DataStats;
  /** Start over at the first shard after the last (epoch + 1). Default false. */
  loop?: boolean;
  /** Resume from a saved position. */
  start?: PoolPosition;
  signal?: AbortSignal;
}

export class CaptionStream implements AsyncIterable<CaptionSample> {
  readonly stats: DataStats;
  private pos: PoolPosition;
  private readonly loop: boolean;
  private started = false;

  constructor(
    private readonly shards: readonly PoolShard[],
    private readonly options: CaptionStreamOptions = {},
  ) {
    if (shards.length === 0) throw new Error('captionStream: the pool has no shards');
    this.stats = options.stats ?? createDataStats();
    this.loop = options.loop ?? false;
    const start = options.start ?? { epoch: 0, shardIndex: 0, sampleIndex: 0 };
    for (const field of ['epoch', 'shardIndex', 'sampleIndex'] as const) {
      if (!Number.isInteger(start[field]) || start[field] < 0) {
        throw new Error(
          `captionStream: start.${field} must be a non-negative integer, got ${start[field]}`,
        );
      }
    }
    if (start.shardIndex >= shards.length) {
      throw new Error(
        `captionStream: start.shardIndex ${start.shardIndex} is past the pool's ${shards.length} shards`,
      );
    }
    this.pos = { ...start };
  }

  /** The position of the next sample (save it with a checkpoint; pass it back as `start`). */
  get position(): PoolPosition {
    return { ...this.pos };
  }

  [Symbol.asyncIterator](): AsyncGenerator<CaptionSample> {
    if (this.started)
      throw new Error('captionStream: a stream can be iterated only once; create a new one');
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<CaptionSample> {
    let yieldedThisEpoch = 0;
    let resumedMidEpoch = this.pos.shardIndex > 0 || this.pos.sampleIndex > 0;
    for (;;) {
      const { shard, source } = this.shards[this.pos.shardIndex] as PoolShard;
      // On resume, the samples before the position are read again and passed over (their
      // problems, if any, are counted again).
      let skip = this.pos.sampleIndex;
      let index = 0;
      for await (const s of readWebDataset(shard, this.stats, { signal: this.options.signal })) {
        if (skip > 0) {
          skip -= 1;
          index += 1;
          continue;
        }
        index += 1;
        this.pos = { ...this.pos, sampleIndex: index };
        yieldedThisEpoch += 1;
        yield {
          id: `${shard}#${s.key}`,
          source,
          shard,
          key: s.key,
          caption: s.caption as string,
          imageBytes: s.image as Buffer,
          imageExt: s.imageExt as ImageExt,
          ...(s.json !== undefined ? { json: s.json } : {}),
        };
      }
      const nextShard = this.pos.shardIndex + 1;
      if (nextShard < this.shards.length) {
        this.pos = { epoch: this.pos.epoch, shardIndex: nextShard, sampleIndex: 0 };
        continue;
      }
      if (!this.loop) {
        this.pos = { epoch: this.pos.epoch + 1, shardIndex: 0, sampleIndex: 0 };
        return;
      }
      if (yieldedThisEpoch === 0 && !resumedMidEpoch) {
        throw new Error(
          `captionStream: a whole pass over ${this.shards.length} shard(s) found no usable sample ` +
            `(${this.stats.examples.slice(0, 3).join('; ') || 'no problems recorded'})`,
        );
      }
      this.pos = { epoch: this.pos.epoch + 1, shardIndex: 0, sampleIndex: 0 };
      yieldedThisEpoch = 0;
      resumedMidEpoch = false;
    }
  }
}

/** A stream of the pool's captions (and encoded images) in shard order. */
export function captionStream(
  shards: readonly PoolShard[],
  options: CaptionStreamOptions = {},
): CaptionStream {
  return new CaptionStream(shards, options);
}

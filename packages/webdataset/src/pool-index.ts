// The pool as a list of shards per source, and how many usable caption/image pairs each holds.
import { resolveShards } from './shards.js';
import { createDataStats, mergeDataStats, type DataStats } from './stats.js';
import { readWebDataset } from './webdataset.js';

/** A pool source as the run spec names it: a name and shard locations. */
export interface PoolSourceLocations {
  name: string;
  shards: readonly string[];
}

/** One shard of the pool and the source it belongs to. */
export interface PoolShard {
  source: string;
  shard: string;
}

/** One shard with its number of usable caption/image pairs. */
export interface PoolIndexEntry extends PoolShard {
  count: number;
}

/** Resolve every source's locations, in source order, into one list of shards. */
export async function resolvePool(sources: readonly PoolSourceLocations[]): Promise<PoolShard[]> {
  if (sources.length === 0) throw new Error('the pool has no sources');
  const out: PoolShard[] = [];
  const names = new Set<string>();
  for (const source of sources) {
    if (names.has(source.name)) throw new Error(`pool source name "${source.name}" is used twice`);
    names.add(source.name);
    let shards: string[];
    try {
      shards = await resolveShards(source.shards);
    } catch (err) {
      throw new Error(`pool source "${source.name}": ${(err as Error).message}`);
    }
    for (const shard of shards) out.push({ source: source.name, shard });
  }
  return out;
}

/** Usable caption/image pairs in one shard (reads the tar, decodes nothing). */
export async function countShardSamples(
  shard: string,
  stats: DataStats = createDataStats(),
): Promise<number> {
  let count = 0;
  for await (const _ of readWebDataset(shard, stats)) count += 1;
  return count;
}

/**
 * Count every shard of the pool (a few shards at a time). Problems met while counting go into
 * `stats` when given.
 */
export async function buildPoolIndex(
  shards: readonly PoolShard[],
  options: { concurrency?: number; stats?: DataStats } = {},
): Promise<PoolIndexEntry[]> {
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const out: PoolIndexEntry[] = new Array(shards.length);
  const perShard: DataStats[] = shards.map(() => createDataStats());
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < shards.length) {
      const i = next++;
      const entry = shards[i] as PoolShard;
      out[i] = { ...entry, count: await countShardSamples(entry.shard, perShard[i]) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, shards.length) }, worker));
  if (options.stats) for (const s of perShard) mergeDataStats(options.stats, s);
  return out;
}

/** Pairs per source, in the order sources first appear in the index. */
export function sourceSizes(index: readonly PoolIndexEntry[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const e of index) sizes.set(e.source, (sizes.get(e.source) ?? 0) + e.count);
  return sizes;
}

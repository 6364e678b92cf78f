// One sample's encoded image, found by its key in its shard (the API shows a pool sample this
// way: the curation panel's caption images). The shard is read from its start up to the sample and
// no further; nothing is decoded. Bad data is an answer, never thrown.
import { createDataStats } from './stats.js';
import { findImage, readSampleGroups, type ImageExt } from './webdataset.js';

export type SampleImage =
  | { found: 'image'; image: Buffer; imageExt: ImageExt }
  /** The sample is there but has no .jpg/.png/.webp member. */
  | { found: 'no-image' }
  /** The shard has no sample with that key (or could be read only up to a damaged part). */
  | { found: 'no-sample' }
  /** The shard could not be opened: missing, not granted, a refused fetch. */
  | { found: 'unreadable' };

/** The image of sample `key` of `shard` (under the caller's data access, if any). */
export async function readSampleImage(
  shard: string,
  key: string,
  signal?: AbortSignal,
): Promise<SampleImage> {
  const stats = createDataStats();
  for await (const group of readSampleGroups(shard, stats, signal)) {
    if (group.key !== key) continue;
    const image = findImage(group);
    return image ? { found: 'image', ...image } : { found: 'no-image' };
  }
  return stats.unreadableShards > 0 ? { found: 'unreadable' } : { found: 'no-sample' };
}

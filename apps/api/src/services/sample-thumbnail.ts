// A small image of one pool sample, for the curation panel: the sample is read from one of the
// run's own pool shards (as its spec names them) under the team's data access of now, then made a
// thumbnail by `#thumbnail` (on Node: decoded and re-encoded as WebP by sharp, so the answer is
// never the stored bytes as they are; at the edge: thumbnail-edge.ts).
import type { Db } from '@curio/db';
import type { Run as RunRow } from '@curio/db/schema';
import { readSampleImage, withDataAccess } from '@curio/webdataset';
import type { AppContext } from '../deps.js';
import { ApiError, notFound } from '../http/problem.js';
import { encodeThumbnail, type Thumbnail } from '#thumbnail';
import { teamDataAccess } from './data-access.js';
import { withObjectUrls } from './object-shards.js';

/** Give up on a shard that takes longer than this to reach the sample. */
const READ_TIMEOUT_MS = 60_000;

type ThumbnailContext = Pick<
  AppContext,
  'blobRoot' | 'blobStore' | 'storeDirs' | 'fetchLimits' | 'timing'
>;

/** The thumbnail of sample `key` of `shard`, one of `run`'s pool shards; 404 or 422 if not. */
export async function sampleThumbnail(
  ctx: ThumbnailContext,
  db: Db,
  run: RunRow,
  shard: string,
  key: string,
): Promise<Thumbnail> {
  const sample = `sample ${key} of shard ${shard}`;
  const poolShards = run.spec?.pool.sources.flatMap((s) => s.shards) ?? [];
  if (!poolShards.includes(shard))
    throw new ApiError(404, 'not-found', `shard ${shard} is not in run ${run.id}'s pool`);
  const access = await withObjectUrls(ctx, [shard], await teamDataAccess(ctx, db, run.teamId));
  const found = await withDataAccess(access, () =>
    readSampleImage(shard, key, AbortSignal.timeout(READ_TIMEOUT_MS)),
  );
  if (found.found === 'unreadable')
    throw new ApiError(
      404,
      'shard-unavailable',
      `shard ${shard} does not exist or is not granted to this team`,
    );
  if (found.found === 'no-sample') throw notFound('sample', `${key} of shard ${shard}`);
  if (found.found === 'no-image')
    throw new ApiError(404, 'image-not-found', `${sample} has no image (.jpg/.png/.webp)`);
  return encodeThumbnail(found.image, found.imageExt, sample);
}

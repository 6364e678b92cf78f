// A small image of one pool sample, for the curation panel: the sample is read from one of the
// run's own pool shards (as its spec names them) under the team's data access of now, decoded and
// re-encoded as a WebP thumbnail (sharp), so the answer is never the stored bytes as they are.
import type { Db } from '@curio/db';
import type { Run as RunRow } from '@curio/db/schema';
import { readSampleImage, withDataAccess } from '@curio/webdataset';
import sharp from 'sharp';
import type { AppContext } from '../deps.js';
import { ApiError, notFound, unprocessable } from '../http/problem.js';
import { teamDataAccess } from './data-access.js';
import { withObjectUrls } from './object-shards.js';

/** The longest side of a thumbnail, in pixels. */
const THUMBNAIL_SIZE = 160;
/** Larger images are refused rather than decoded (decompression bombs). */
const MAX_INPUT_PIXELS = 40_000_000;
/** Give up on a shard that takes longer than this to reach the sample. */
const READ_TIMEOUT_MS = 60_000;

type ThumbnailContext = Pick<
  AppContext,
  'blobRoot' | 'blobStore' | 'storeDirs' | 'fetchLimits' | 'timing'
>;

/** The WebP thumbnail of sample `key` of `shard`, one of `run`'s pool shards; 404 or 422 if not. */
export async function sampleThumbnail(
  ctx: ThumbnailContext,
  db: Db,
  run: RunRow,
  shard: string,
  key: string,
): Promise<Buffer> {
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
  try {
    return await sharp(found.image, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
  } catch (error) {
    throw unprocessable(
      'image-undecodable',
      `${sample}: its .${found.imageExt} image cannot be decoded (${(error as Error).message})`,
    );
  }
}

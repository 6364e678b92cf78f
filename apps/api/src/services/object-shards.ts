// `s3://` shard locations, for pools (and eval sets' test shards): a prefix (`s3://bucket/dir/`) gives the `*.tar` objects
// directly under it, a glob (`s3://bucket/dir/*.tar`) its matches, both found by listing; only
// objects inside the team's grants are kept (the rest are dropped, never named). The worker holds
// no bucket credentials: the API presigns a GET per shard, with the S3 store's endpoint and keys.
import { isKeyGlob, keyGlobBase, keyGlobRegex, parseS3Location } from '@curio/blob-store';
import { S3BlobStore } from '@curio/blob-store/s3';
import type { DataAccess } from '@curio/contracts';
import { objectGranted } from '@curio/webdataset';
import type { AppContext } from '../deps.js';
import { unprocessable } from '../http/problem.js';

function objectStore(ctx: Pick<AppContext, 'blobStore'>, location: string): S3BlobStore {
  if (!(ctx.blobStore instanceof S3BlobStore))
    throw unprocessable(
      'no-object-storage',
      `shard location ${location}: this server has no object storage (set CURIO_S3_BUCKET)`,
    );
  return ctx.blobStore;
}

/**
 * The granted `.tar` objects an `s3://` prefix (those directly under it) or glob (its matches)
 * stands for, found by listing; none is an empty list.
 */
export async function listGrantedObjects(
  ctx: Pick<AppContext, 'blobStore'>,
  location: string,
  access: DataAccess,
): Promise<string[]> {
  const object = parseS3Location(location);
  if (!object) return [];
  const isGlob = isKeyGlob(object.key);
  const listFrom = isGlob ? keyGlobBase(object.key) : object.key;
  const base = listFrom.slice(0, listFrom.lastIndexOf('/') + 1);
  const match = isGlob ? keyGlobRegex(object.key) : /^[^/]*\.tar$/;
  const bucket = objectStore(ctx, location).withBucket(object.bucket);
  return (await bucket.list(listFrom))
    .map((b) => b.key)
    .filter((key) => match.test(isGlob ? key : key.slice(base.length)))
    .map((key) => `s3://${object.bucket}/${key}`)
    .filter((uri) => objectGranted(uri, access));
}

/** The `s3://` objects one location stands for, inside `access`; other locations as they are. */
async function expandOne(
  ctx: Pick<AppContext, 'blobStore'>,
  location: string,
  access: DataAccess,
): Promise<string[]> {
  const object = parseS3Location(location);
  if (!object) return [location];
  if (!isKeyGlob(object.key) && object.key !== '' && !object.key.endsWith('/')) return [location];
  const found = await listGrantedObjects(ctx, location, access);
  if (found.length === 0)
    throw unprocessable(
      'unreadable-shard',
      `nothing was stored: data location ${location} holds no granted .tar objects`,
      [{ path: 'shards', message: `${location} holds no granted .tar objects` }],
    );
  return found;
}

/** The locations with each `s3://` prefix or glob replaced by the objects it lists. */
export async function expandObjectLocations(
  ctx: Pick<AppContext, 'blobStore'>,
  locations: readonly string[],
  access: DataAccess,
): Promise<string[]> {
  const out: string[] = [];
  for (const location of locations) out.push(...(await expandOne(ctx, location, access)));
  return out;
}

/** `access` with a presigned GET URL for each `s3://` shard among `shards`. */
export async function withObjectUrls(
  ctx: Pick<AppContext, 'blobStore' | 'timing'>,
  shards: readonly string[],
  access: DataAccess,
): Promise<DataAccess> {
  const objectUrls: Record<string, string> = {};
  for (const shard of shards) {
    const object = parseS3Location(shard);
    if (!object || !objectGranted(shard, access)) continue;
    const bucket = objectStore(ctx, shard).withBucket(object.bucket);
    objectUrls[shard] = (await bucket.presignGet(object.key, ctx.timing.shardUrlSeconds)).url;
  }
  return Object.keys(objectUrls).length ? { ...access, objectUrls } : access;
}

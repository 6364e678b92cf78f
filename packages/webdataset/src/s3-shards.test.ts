// s3:// shards: granted by object-prefix grants or the team's upload prefix, read through the
// presigned URL the API signed, from a real S3-compatible server on loopback.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import type { DataAccess } from '@curio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, withDataAccess } from './data-access.js';
import { LocationUnavailableError } from './location-error.js';
import { countShardSamples } from './pool-index.js';
import { openShardBytes, resolveShards } from './shards.js';
import { makeTempDir, tinyPng, writeSampleShard } from './test-helpers.js';

let s3: TestS3Server;
let store: S3BlobStore;
const SHARD = 's3://team-data/team-a/shard-0.tar';

beforeAll(async () => {
  s3 = await startTestS3Server(['team-data']);
  store = new S3BlobStore(s3.storeOptions('team-data'));
  const tmp = await makeTempDir();
  await writeSampleShard(join(tmp.dir, 'a.tar'), 3, await tinyPng(4, 4));
  const bytes = await readFile(join(tmp.dir, 'a.tar'));
  await tmp.cleanup();
  await store.put('team-a/shard-0.tar', new Response(bytes).body, bytes.length);
  await store.put('team-b/shard-0.tar', new Response(bytes).body, bytes.length);
});
afterAll(() => s3.close());

const access = (over: Partial<DataAccess>): DataAccess => ({
  grants: [{ kind: 'object-prefix', location: 's3://team-data/team-a/' }],
  protectedDirs: [],
  fetch: DEFAULT_FETCH_LIMITS,
  ...over,
});

describe('s3:// shards', () => {
  it('resolve inside the grants only, one object at a time', async () => {
    const a = access({});
    expect(await withDataAccess(a, () => resolveShards([SHARD]))).toEqual([SHARD]);
    for (const refused of [
      's3://team-data/team-b/shard-0.tar',
      's3://team-data/team-ab/shard-0.tar',
      's3://team-data/team-a/*.tar',
      's3://team-data/team-a/',
    ])
      await expect(withDataAccess(a, () => resolveShards([refused]))).rejects.toThrow(
        LocationUnavailableError,
      );
    const uploads = access({ grants: [], uploadPrefix: 's3://team-data/team-b/' });
    expect(
      await withDataAccess(uploads, () => resolveShards(['s3://team-data/team-b/shard-0.tar'])),
    ).toEqual(['s3://team-data/team-b/shard-0.tar']);
  });

  it('are read through the presigned URL signed for them, and only so', async () => {
    const url = (await store.presignGet('team-a/shard-0.tar', 60)).url;
    const signed = access({ objectUrls: { [SHARD]: url } });
    expect(await withDataAccess(signed, () => countShardSamples(SHARD))).toBe(3);
    // No URL signed for it: refused, naming the shard.
    await expect(withDataAccess(access({}), () => openShardBytes(SHARD))).rejects.toThrow(
      LocationUnavailableError,
    );
    // A URL signed for team B's object, filed under team A's grant, does not make it readable.
    const other = (await store.presignGet('team-b/shard-0.tar', 60)).url;
    const b = 's3://team-data/team-b/shard-0.tar';
    await expect(
      withDataAccess(access({ objectUrls: { [b]: other } }), () => openShardBytes(b)),
    ).rejects.toThrow(LocationUnavailableError);
    // A signed URL that fails (the object is gone) is reported by the shard's name, never the
    // URL and its signature.
    const gone = (await store.presignGet('team-a/missing.tar', 60)).url;
    const failure = await withDataAccess(access({ objectUrls: { [SHARD]: gone } }), () =>
      openShardBytes(SHARD),
    ).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    );
    expect(failure.message).not.toBe('opened');
    const said = `${failure.message} ${(failure as Partial<LocationUnavailableError>).reason ?? ''}`;
    expect(said).not.toMatch(/X-Amz-Signature|missing\.tar/);
    // Outside a run's access there is nothing to read s3:// with.
    await expect(openShardBytes(SHARD)).rejects.toThrow(/only in a run the API assigns/);
  });
});

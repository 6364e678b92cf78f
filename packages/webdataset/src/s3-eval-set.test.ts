// s3:// eval sets: the folder or a glob over its test shards, read through the URLs the API
// signed, inside the team's object grants only; from a real S3-compatible server on loopback.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import type { DataAccess } from '@curio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, withDataAccess } from './data-access.js';
import { readEvalSet } from './eval-set.js';
import { LocationUnavailableError } from './location-error.js';
import { objectEvalSetLayout } from './object-eval-set.js';
import { writeTarShard } from './tar-writer.js';
import { makeTempDir, tinyPng } from './test-helpers.js';

let s3: TestS3Server;
let store: S3BlobStore;

async function put(key: string, body: string | Buffer) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  await store.put(key, new Response(bytes).body, bytes.length);
}

beforeAll(async () => {
  s3 = await startTestS3Server(['team-data']);
  store = new S3BlobStore(s3.storeOptions('team-data'));
  const png = await tinyPng(4, 4);
  const tmp = await makeTempDir();
  for (const [name, cls] of [
    ['0.tar', '1'],
    ['1.tar', '0'],
    ['10.tar', '1'],
  ] as const) {
    await writeTarShard(join(tmp.dir, name), [
      { name: 'k.png', data: png },
      { name: 'k.cls', data: cls },
    ]);
    for (const set of ['team-a/shapes', 'team-b/shapes'])
      await put(`${set}/test/${name}`, await readFile(join(tmp.dir, name)));
  }
  await tmp.cleanup();
  for (const set of ['team-a/shapes', 'team-b/shapes']) {
    await put(`${set}/classnames.txt`, 'red circle\nblue square\n');
    await put(`${set}/zeroshot_classification_templates.txt`, 'a photo of a {c}.\n');
  }
  await put('team-a/shapes/test/notes.txt', 'not a shard');
  await put('team-a/broken/classnames.txt', 'red circle\n');
  await put('team-a/broken/zeroshot_classification_templates.txt', 'no placeholder\n');
});
afterAll(() => s3.close());

const grantA: DataAccess = {
  grants: [{ kind: 'object-prefix', location: 's3://team-data/team-a/' }],
  protectedDirs: [],
  fetch: DEFAULT_FETCH_LIMITS,
};

/** What the API hands the worker: a presigned GET for each of `uris`. */
async function signed(uris: string[], access = grantA): Promise<DataAccess> {
  const objectUrls: Record<string, string> = {};
  for (const uri of uris)
    objectUrls[uri] = (await store.presignGet(uri.replace('s3://team-data/', ''), 60)).url;
  return { ...access, objectUrls };
}

const A = 's3://team-data/team-a/shapes';
const partsOf = (dir: string, shards: string[]) => [
  `${dir}/classnames.txt`,
  `${dir}/zeroshot_classification_templates.txt`,
  ...shards.map((s) => `${dir}/test/${s}`),
];

describe('s3:// eval sets', () => {
  it('lay out a folder or a glob over its test shards, and refuse other globs', () => {
    const folder = objectEvalSetLayout(`${A}/`);
    expect(folder).toMatchObject({
      dir: A,
      classnames: `${A}/classnames.txt`,
      testShards: `${A}/test/`,
    });
    expect(folder.isTestShard(`${A}/test/0.tar`)).toBe(true);
    expect(folder.isTestShard(`${A}/test/notes.txt`)).toBe(false);
    expect(folder.isTestShard(`${A}/test/deeper/0.tar`)).toBe(false);
    expect(folder.isTestShard(`s3://other-bucket/team-a/shapes/test/0.tar`)).toBe(false);
    const glob = objectEvalSetLayout(`${A}/test/?.tar`);
    expect(glob.dir).toBe(A);
    expect(glob.isTestShard(`${A}/test/1.tar`)).toBe(true);
    expect(glob.isTestShard(`${A}/test/10.tar`)).toBe(false);
    expect(() => objectEvalSetLayout('s3://team-data/*/shapes')).toThrow(/test\/ folder/);
    expect(() => objectEvalSetLayout('s3://Bad_Bucket/x')).toThrow(/not an s3:\/\/bucket/);
  });

  it('read class names, templates and samples through the signed URLs, shards in natural order', async () => {
    const access = await signed(partsOf(A, ['10.tar', '0.tar', '1.tar']));
    const set = await withDataAccess(access, () => readEvalSet(A));
    expect(set.dir).toBe(A);
    expect(set.classnames).toEqual(['red circle', 'blue square']);
    expect(set.templates).toEqual(['a photo of a {c}.']);
    expect(set.shards).toEqual([`${A}/test/0.tar`, `${A}/test/1.tar`, `${A}/test/10.tar`]);
    const classes: number[] = [];
    await withDataAccess(access, async () => {
      for await (const s of set.samples) classes.push(s.cls);
    });
    expect(classes).toEqual([1, 0, 1]);
    const byGlob = await withDataAccess(access, () => readEvalSet(`${A}/test/?.tar`));
    expect(byGlob.shards).toEqual([`${A}/test/0.tar`, `${A}/test/1.tar`]);
  });

  it("refuse another team's set, a missing or malformed part, and reads outside a run", async () => {
    const B = 's3://team-data/team-b/shapes';
    // URLs signed for team B's objects do not make them readable under A's grants.
    await expect(
      withDataAccess(await signed(partsOf(B, ['0.tar'])), () => readEvalSet(B)),
    ).rejects.toThrow(LocationUnavailableError);
    const broken = 's3://team-data/team-a/broken';
    await expect(
      withDataAccess(await signed(partsOf(broken, [])), () => readEvalSet(broken)),
    ).rejects.toThrow(/templates.txt line 1 \("no placeholder"\) has no \{c\} placeholder/);
    const missing = 's3://team-data/team-a/missing';
    await expect(
      withDataAccess(await signed(partsOf(missing, [])), () => readEvalSet(missing)),
    ).rejects.toThrow(
      // named by its s3:// location, never by the signed URL
      'data location s3://team-data/team-a/missing/classnames.txt does not exist or is not granted',
    );
    await expect(
      withDataAccess(await signed(partsOf(A, [])), () => readEvalSet(A)),
    ).rejects.toThrow(`eval set: ${A}/test/ holds no .tar shards`);
    await expect(readEvalSet(A)).rejects.toThrow(/read only in a run the API assigns/);
  });
});

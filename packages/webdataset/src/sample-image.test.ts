import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ONLY, withDataAccess } from './data-access.js';
import { readSampleImage } from './sample-image.js';
import { writeTarShard } from './tar-writer.js';
import { makeTempDir, tinyPng } from './test-helpers.js';

describe('readSampleImage', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let png: Buffer;
  let shard: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    png = await tinyPng(6, 4);
    await mkdir(path.join(dir, 'granted'));
    shard = path.join(dir, 'granted', '0.tar');
    await writeTarShard(shard, [
      { name: 'a.txt', data: 'first' },
      { name: 'a.webp', data: new Uint8Array([1, 2, 3]) },
      { name: 'b.png', data: png },
      { name: 'b.txt', data: 'second' },
      { name: 'c.txt', data: 'no image' },
    ]);
  });
  afterAll(() => cleanup());

  it('finds a sample by key and gives its encoded image as stored', async () => {
    const b = await readSampleImage(shard, 'b');
    expect(b.found === 'image' && b.imageExt === 'png' && b.image.equals(png)).toBe(true);
    expect(await readSampleImage(shard, 'a')).toMatchObject({ found: 'image', imageExt: 'webp' });
  });

  it('says what is missing: the image, the sample or the shard', async () => {
    expect(await readSampleImage(shard, 'c')).toEqual({ found: 'no-image' });
    expect(await readSampleImage(shard, 'd')).toEqual({ found: 'no-sample' });
    expect(await readSampleImage(path.join(dir, 'gone.tar'), 'b')).toEqual({ found: 'unreadable' });
  });

  it('reads only inside the data access in force', async () => {
    const access = (granted: string) => ({
      ...PUBLIC_ONLY,
      grants: [{ kind: 'directory' as const, location: granted }],
      uploadDir: path.join(dir, 'uploads'),
      protectedDirs: [],
    });
    const inside = await withDataAccess(access(path.join(dir, 'granted')), () =>
      readSampleImage(shard, 'b'),
    );
    expect(inside.found).toBe('image');
    const outside = await withDataAccess(access(path.join(dir, 'elsewhere')), () =>
      readSampleImage(shard, 'b'),
    );
    expect(outside).toEqual({ found: 'unreadable' });
  });
});

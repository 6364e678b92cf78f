import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveShards } from './shards.js';
import { makeTempDir } from './test-helpers.js';

describe('resolveShards', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    await mkdir(path.join(dir, 'pool'));
    for (const name of ['b.tar', 'a.tar', 'notes.txt'])
      await writeFile(path.join(dir, 'pool', name), 'x');
    await mkdir(path.join(dir, 'empty'));
  });
  afterAll(() => cleanup());

  it('expands a directory to its .tar files, sorted', async () => {
    expect(await resolveShards([path.join(dir, 'pool')])).toEqual([
      path.join(dir, 'pool', 'a.tar'),
      path.join(dir, 'pool', 'b.tar'),
    ]);
  });

  it('expands globs, converts file:// URLs and passes http(s) URLs through, without duplicates', async () => {
    const fileUrl = pathToFileURL(path.join(dir, 'pool', 'b.tar')).href;
    const shards = await resolveShards([
      path.join(dir, 'pool', '*.tar'),
      fileUrl,
      'https://example.org/s/00001.tar',
    ]);
    expect(shards).toEqual([
      path.join(dir, 'pool', 'a.tar'),
      path.join(dir, 'pool', 'b.tar'),
      'https://example.org/s/00001.tar',
    ]);
  });

  it('names a location that matches nothing', async () => {
    const missing = path.join(dir, 'nope.tar');
    await expect(resolveShards([missing])).rejects.toThrow(missing);
    await expect(resolveShards([path.join(dir, 'pool', '*.zip')])).rejects.toThrow(
      /glob matches no files/,
    );
    await expect(resolveShards([path.join(dir, 'empty')])).rejects.toThrow(
      /directory with no .tar shards/,
    );
    await expect(resolveShards(['s3://bucket/x.tar'])).rejects.toThrow(/s3:\/\/bucket\/x.tar/);
    await expect(resolveShards([])).rejects.toThrow(/no shard locations/);
  });
});

import { createServer, type Server } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ONLY, withDataAccess } from './data-access.js';
import { createDataStats, formatDataStats } from './stats.js';
import { writeTarShard } from './tar-writer.js';
import { makeTempDir, tarHeaderOffsets, tinyPng, writeSampleShard } from './test-helpers.js';
import { readWebDataset, splitMemberName } from './webdataset.js';

async function readAll(shard: string) {
  const stats = createDataStats();
  const samples = [];
  for await (const s of readWebDataset(shard, stats)) samples.push(s);
  return { samples, stats, keys: samples.map((s) => s.key) };
}

describe('readWebDataset', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let png: Buffer;
  let good: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    png = await tinyPng(8, 8);
    good = path.join(dir, 'good.tar');
    await writeSampleShard(good, 5, png);
  });
  afterAll(() => cleanup());

  it('groups members by key into samples', async () => {
    const { samples, stats } = await readAll(good);
    expect(samples.map((s) => [s.key, s.caption, s.imageExt])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [`s00${i}`, `caption ${i}`, 'png']),
    );
    expect(samples[0]?.image?.equals(png)).toBe(true);
    expect(stats).toMatchObject({ scanned: 5, yielded: 5, corruptShards: 0, missingCaption: 0 });
    expect(splitMemberName('dir/0001.seg.TXT')).toEqual({ key: 'dir/0001', ext: 'seg.txt' });
  });

  it('skips and counts a sample without caption and one without image', async () => {
    const shard = path.join(dir, 'missing.tar');
    await writeTarShard(shard, [
      { name: 'a.png', data: png },
      { name: 'a.txt', data: 'fine' },
      { name: 'b.png', data: png },
      { name: 'b.json', data: '{"x":1}' },
      { name: 'c.txt', data: 'no image here' },
      { name: 'd.jpg', data: png },
      { name: 'd.txt', data: '   ' },
      { name: 'e.webp', data: png },
      { name: 'e.txt', data: 'last' },
      { name: 'e.json', data: '{"kind":"on-target"}' },
    ]);
    const { keys, stats, samples } = await readAll(shard);
    expect(keys).toEqual(['a', 'e']);
    expect(samples[1]).toMatchObject({ imageExt: 'webp', json: { kind: 'on-target' } });
    expect(stats).toMatchObject({ scanned: 5, yielded: 2, missingCaption: 2, missingImage: 1 });
    expect(stats.examples.join('\n')).toMatch(/missing\.tar#b has no caption/);
    expect(stats.examples.join('\n')).toMatch(/missing\.tar#c has no image/);
    expect(formatDataStats(stats)).toBe(
      'scanned 5, yielded 2, skipped: missingCaption 2, missingImage 1',
    );
  });

  it('survives a garbage region over a member header and reads the members after it', async () => {
    const bytes = await readFile(good);
    const at = tarHeaderOffsets(bytes).get('s002.txt') as number;
    const broken = Buffer.from(bytes);
    for (let i = 0; i < 512; i++) broken[at + i] = (i * 37 + 11) & 0xff;
    const shard = path.join(dir, 'garbage.tar');
    await writeFile(shard, broken);
    const { keys, stats } = await readAll(shard);
    expect(keys).toEqual(['s000', 's001', 's003', 's004']);
    expect(stats).toMatchObject({ corruptShards: 1, corruptMembers: 1, missingCaption: 1 });
    expect(stats.examples.join('\n')).toMatch(
      /garbage\.tar: damaged or truncated tar data at byte/,
    );
  });

  it('reads what precedes a truncation and counts the cut member', async () => {
    const bytes = await readFile(good);
    const at = tarHeaderOffsets(bytes).get('s003.png') as number;
    const shard = path.join(dir, 'truncated.tar');
    await writeFile(shard, bytes.subarray(0, at + 600));
    const { keys, stats } = await readAll(shard);
    expect(keys).toEqual(['s000', 's001', 's002']);
    expect(stats).toMatchObject({ corruptShards: 1, corruptMembers: 1 });
  });

  it('counts an unreadable shard and a file that is not a tar without throwing', async () => {
    const missing = await readAll(path.join(dir, 'does-not-exist.tar'));
    expect(missing.samples).toEqual([]);
    expect(missing.stats.unreadableShards).toBe(1);
    expect(missing.stats.examples[0]).toMatch(/does-not-exist\.tar/);
    const junk = path.join(dir, 'junk.tar');
    await writeFile(junk, Buffer.alloc(3000, 7));
    const notTar = await readAll(junk);
    expect(notTar.samples).toEqual([]);
    expect(notTar.stats.corruptShards).toBe(1);
  });

  describe('over http', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const body = await readFile(good);
      server = createServer((req, res) => {
        if (req.url === '/good.tar') res.end(body);
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('streams a shard from an allowlisted URL and counts a 404 as unreadable', async () => {
      const access = { ...PUBLIC_ONLY, fetch: { ...PUBLIC_ONLY.fetch, allowHosts: ['127.0.0.1'] } };
      const good = await withDataAccess(access, () => readAll(`${base}/good.tar`));
      expect(good.keys).toHaveLength(5);
      const gone = await withDataAccess(access, () => readAll(`${base}/gone.tar`));
      expect(gone.stats.unreadableShards).toBe(1);
      expect(gone.stats.examples[0]).toMatch(/gone\.tar does not exist or is not granted/);
    });

    it('refuses a loopback URL when nothing allowlists it, as if it were missing', async () => {
      const refused = await readAll(`${base}/good.tar`);
      expect(refused.keys).toEqual([]);
      expect(refused.stats.examples[0]).toMatch(/good\.tar does not exist or is not granted/);
    });
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionStream, type CaptionSample, type PoolPosition } from './caption-stream.js';
import {
  buildPoolIndex,
  countShardSamples,
  resolvePool,
  sourceSizes,
  type PoolShard,
} from './pool-index.js';
import { createDataStats } from './stats.js';
import { makeTempDir, tinyPng, writeSampleShard } from './test-helpers.js';

async function take(stream: AsyncIterable<CaptionSample>, n: number): Promise<string[]> {
  const out: string[] = [];
  if (n === 0) return out;
  for await (const s of stream) {
    out.push(`${path.basename(s.shard)}#${s.key}`);
    if (out.length === n) break;
  }
  return out;
}

describe('pool index and caption stream', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let shards: PoolShard[];
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    const png = await tinyPng(4, 4);
    await writeSampleShard(path.join(dir, 'web', '0.tar'), 3, png, 'a');
    await writeSampleShard(path.join(dir, 'web', '1.tar'), 2, png, 'b');
    await writeSampleShard(path.join(dir, 'cc', '0.tar'), 4, png, 'c');
    shards = await resolvePool([
      { name: 'web', shards: [path.join(dir, 'web')] },
      { name: 'cc', shards: [path.join(dir, 'cc', '*.tar')] },
    ]);
  });
  afterAll(() => cleanup());

  it('resolves sources and counts samples per shard', async () => {
    expect(shards.map((s) => [s.source, path.relative(dir, s.shard)])).toEqual([
      ['web', path.join('web', '0.tar')],
      ['web', path.join('web', '1.tar')],
      ['cc', path.join('cc', '0.tar')],
    ]);
    expect(await countShardSamples(shards[2]!.shard)).toBe(4);
    const index = await buildPoolIndex(shards);
    expect(index.map((e) => e.count)).toEqual([3, 2, 4]);
    expect([...sourceSizes(index)]).toEqual([
      ['web', 5],
      ['cc', 4],
    ]);
    await expect(resolvePool([{ name: 'x', shards: [path.join(dir, 'none')] }])).rejects.toThrow(
      /pool source "x".*none/,
    );
  });

  it('streams captions with their encoded images and ends after one pass by default', async () => {
    const stats = createDataStats();
    const samples: CaptionSample[] = [];
    for await (const s of captionStream(shards, { stats })) samples.push(s);
    expect(samples.map((s) => s.key)).toEqual([
      'a000',
      'a001',
      'a002',
      'b000',
      'b001',
      'c000',
      'c001',
      'c002',
      'c003',
    ]);
    expect(samples[5]).toMatchObject({ source: 'cc', caption: 'caption 0', imageExt: 'png' });
    expect(samples[5]?.imageBytes.subarray(1, 4).toString()).toBe('PNG');
    expect(new Set(samples.map((s) => s.id)).size).toBe(9);
    expect(stats.yielded).toBe(9);
  });

  it('loops over the pool and resumes from a saved position', async () => {
    const whole = await take(captionStream(shards, { loop: true }), 20);
    expect(whole.slice(9, 18)).toEqual(whole.slice(0, 9));
    for (const cut of [0, 2, 3, 4, 9, 13]) {
      const first = captionStream(shards, { loop: true });
      const head = await take(first, cut);
      const saved: PoolPosition = first.position;
      const tail = await take(captionStream(shards, { loop: true, start: saved }), 20 - cut);
      expect([...head, ...tail], `cut at ${cut}`).toEqual(whole);
    }
    const s = captionStream(shards, { loop: true });
    await take(s, 10);
    expect(s.position).toEqual({ epoch: 1, shardIndex: 0, sampleIndex: 1 });
    expect(() =>
      captionStream(shards, { start: { epoch: 0, shardIndex: 3, sampleIndex: 0 } }),
    ).toThrow(/past the pool's 3 shards/);
  });

  it('fails clearly when a looping pool has nothing usable', async () => {
    const bad = [{ source: 'x', shard: path.join(dir, 'missing.tar') }];
    await expect(take(captionStream(bad, { loop: true }), 1)).rejects.toThrow(
      /found no usable sample.*missing\.tar/,
    );
  });
});

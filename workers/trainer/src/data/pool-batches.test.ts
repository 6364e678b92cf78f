import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBatches } from './decode-batches.js';
import { buildPoolIndex, resolvePool, type PoolIndexEntry } from '@curio/webdataset';
import { PoolBatcher, type PoolBatch } from './pool-batches.js';
import { makeTempDir, tinyPng, writeSampleShard } from '@curio/webdataset/testing';

async function batches(batcher: PoolBatcher, n: number): Promise<PoolBatch[]> {
  const out: PoolBatch[] = [];
  for await (const b of batcher) {
    out.push(b);
    if (out.length === n) break;
  }
  return out;
}
const ids = (bs: PoolBatch[]) => bs.map((b) => b.samples.map((s) => s.id));

describe('PoolBatcher', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let index: PoolIndexEntry[];
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    const png = await tinyPng(6, 6);
    await writeSampleShard(path.join(dir, 'a', '0.tar'), 7, png, 'a');
    await writeSampleShard(path.join(dir, 'a', '1.tar'), 5, png, 'b');
    await writeSampleShard(path.join(dir, 'z', '0.tar'), 6, png, 'z');
    index = await buildPoolIndex(
      await resolvePool([
        { name: 'a', shards: [path.join(dir, 'a')] },
        { name: 'z', shards: [path.join(dir, 'z')] },
      ]),
    );
  });
  afterAll(() => cleanup());

  it('debiased batches come from one source each, shuffled and seeded', async () => {
    const make = (seed: number) =>
      new PoolBatcher({ index, batchSize: 4, sampling: 'debiased', seed, shuffleWindow: 5 });
    const run = await batches(make(1), 12);
    for (const b of run) expect(new Set(b.samples.map((s) => s.source)).size).toBe(1);
    expect(ids(await batches(make(1), 12))).toEqual(ids(run));
    expect(ids(await batches(make(2), 12))).not.toEqual(ids(run));
    const firstA = run.find((b) => b.samples[0]?.source === 'a')!.samples.map((s) => s.key);
    expect(firstA).not.toEqual(['a000', 'a001', 'a002', 'a003']);
  });

  it('resumes exactly from the state carried by any batch', async () => {
    const options = { index, batchSize: 3, sampling: 'mixed' as const, seed: 5, shuffleWindow: 4 };
    const full = ids(await batches(new PoolBatcher(options), 15));
    for (const cut of [1, 4, 7]) {
      const head = await batches(new PoolBatcher(options), cut);
      const resumed = await batches(
        new PoolBatcher({ ...options, state: head[cut - 1]!.resume }),
        15 - cut,
      );
      expect(resumed[0]?.index).toBe(cut);
      expect([...ids(head), ...ids(resumed)], `cut ${cut}`).toEqual(full);
    }
  });

  it('never hands out a held-out pair, and draws sources by the weights given', async () => {
    const all = (
      await batches(
        new PoolBatcher({ index, batchSize: 6, sampling: 'mixed', seed: 1, shuffleWindow: 3 }),
        20,
      )
    ).flatMap((b) => b.samples.map((s) => s.id));
    const held = new Map([
      ['a', new Set(all.filter((id) => id.includes('/a/')).slice(0, 4))],
      ['z', new Set(all.filter((id) => id.includes('/z/')).slice(0, 5))],
    ]);
    const heldIds = [...held.values()].flatMap((s) => [...s]);
    expect(heldIds).toHaveLength(9);
    const run = await batches(
      new PoolBatcher({
        index,
        batchSize: 6,
        sampling: 'debiased',
        seed: 1,
        shuffleWindow: 3,
        heldOut: held,
        weights: { a: 0.1, z: 0.9 },
      }),
      60,
    );
    const seen = new Set(run.flatMap((b) => b.samples.map((s) => s.id)));
    for (const id of heldIds) expect(seen.has(id), id).toBe(false);
    expect(seen.size).toBe(18 - 9); // every other pair of both sources comes round
    const fromZ = run.filter((b) => b.samples[0]?.source === 'z').length;
    expect(fromZ).toBeGreaterThan(45);
    const allHeld = new Map([['z', new Set(all.filter((id) => id.includes('/z/')))]]);
    expect(
      () => new PoolBatcher({ index, batchSize: 2, sampling: 'mixed', seed: 1, heldOut: allHeld }),
    ).toThrow(/source "z" has 6 usable pairs, all of them held out/);
    expect(
      () => new PoolBatcher({ index, batchSize: 2, sampling: 'mixed', seed: 1, weights: { a: 1 } }),
    ).toThrow(/no entry for source "z"/);
  });

  it('decodes batches ahead with seeded augmentation', async () => {
    const augment = { randomResizedCrop: true, minScale: 0.5, flip: true };
    const source = async function* () {
      yield* await batches(
        new PoolBatcher({ index, batchSize: 4, sampling: 'sequential', seed: 3 }),
        3,
      );
    };
    const decoded = [];
    for await (const d of decodeBatches(source(), { size: 4, seed: 3, augment, prefetch: 2 }))
      decoded.push(d);
    expect(decoded.map((d) => d.shape)).toEqual([
      [4, 4, 4, 3],
      [4, 4, 4, 3],
      [4, 4, 4, 3],
    ]);
    expect(decoded[0]?.captions).toEqual(decoded[0]?.samples.map((s) => s.caption));
    const again = [];
    for await (const d of decodeBatches(source(), { size: 4, seed: 3, augment })) again.push(d);
    expect(again.map((d) => Array.from(d.pixels))).toEqual(
      decoded.map((d) => Array.from(d.pixels)),
    );
  });
});

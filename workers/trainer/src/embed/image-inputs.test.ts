import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataStats, writeTarShard } from '@curio/webdataset';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { decodedImages, readImageInputs } from './image-inputs.js';

async function labels(locations: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const input of readImageInputs(locations, createDataStats())) out.push(input.label);
  return out;
}

describe('readImageInputs', () => {
  it('takes image files, folders (recursively, sorted) and shards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-images-'));
    await mkdir(join(dir, 'photos', 'more'), { recursive: true });
    await writeFile(join(dir, 'photos', 'b.png'), 'png bytes');
    await writeFile(join(dir, 'photos', 'A.JPG'), 'jpg bytes');
    await writeFile(join(dir, 'photos', 'notes.txt'), 'not an image');
    await writeFile(join(dir, 'photos', 'more', 'c.webp'), 'webp bytes');
    await writeTarShard(join(dir, 'photos', 'shard.tar'), [
      { name: 's1.png', data: Buffer.from('x') },
      { name: 's2.jpg', data: Buffer.from('y') },
    ]);
    await writeFile(join(dir, 'single.jpeg'), 'jpeg bytes');
    expect(await labels([join(dir, 'photos'), join(dir, 'single.jpeg')])).toEqual([
      join(dir, 'photos', 'A.JPG'),
      join(dir, 'photos', 'b.png'),
      join(dir, 'photos', 'more', 'c.webp'),
      `${join(dir, 'photos', 'shard.tar')}#s1`,
      `${join(dir, 'photos', 'shard.tar')}#s2`,
      join(dir, 'single.jpeg'),
    ]);
  });

  it('names a location that is not an image, holds none, or does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-images-'));
    await writeFile(join(dir, 'notes.txt'), 'text');
    await mkdir(join(dir, 'empty'));
    await expect(labels([join(dir, 'notes.txt')])).rejects.toThrow(
      /notes\.txt is neither an image \(\.jpg, \.jpeg, \.png, \.webp\) nor a \.tar shard/,
    );
    await expect(labels([join(dir, 'empty')])).rejects.toThrow(/empty holds no images/);
    await expect(labels([join(dir, 'missing.png')])).rejects.toThrow(
      /missing\.png matches nothing/,
    );
  });
});

describe('decodedImages', () => {
  const png = (value: number) =>
    sharp(Buffer.alloc(4 * 4 * 3, value), { raw: { width: 4, height: 4, channels: 3 } })
      .png()
      .toBuffer();

  it('decodes a batch at a time, skipping what does not decode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-images-'));
    for (const [name, value] of [
      ['a.png', 0],
      ['c.png', 128],
      ['d.png', 255],
    ] as const)
      await writeFile(join(dir, name), await png(value));
    await writeFile(join(dir, 'b.png'), 'not a png');
    const batches = [];
    for await (const batch of decodedImages([dir], 2, 2)) batches.push(batch);
    expect(batches.map((b) => b.labels.map((l) => l.slice(dir.length + 1)))).toEqual([
      ['a.png'],
      ['c.png', 'd.png'],
    ]);
    expect(batches[1]!.pixels).toHaveLength(2 * 2 * 2 * 3);
    // 0 and 255 normalised with CLIP's red mean and std
    expect(batches[1]!.pixels[2 * 2 * 3]).toBeCloseTo((1 - 0.48145466) / 0.26862954, 4);
  });

  it('names the locations when no image decodes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curio-images-'));
    await writeFile(join(dir, 'broken.jpg'), 'not a jpeg');
    const drain = async () => {
      for await (const _ of decodedImages([dir], 2)) void _;
    };
    await expect(drain()).rejects.toThrow(/no decodable image in .*curio-images-/);
  });
});

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataStats, writeTarShard } from '@curio/webdataset';
import { describe, expect, it } from 'vitest';
import { readImageInputs } from './image-inputs.js';

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

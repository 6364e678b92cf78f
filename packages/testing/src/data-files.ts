// Tiny data on disk for API and CLI tests: WebDataset pool shards and a clip_benchmark eval
// folder, written with the trainer's own tar writer. The API counts pairs without decoding
// images, so a few bytes stand in for each.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeTarShard } from '@curio/webdataset';

/** A pool shard of `samples` caption/image pairs at `file`. */
export async function writePoolShard(file: string, samples: number): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const entries = [];
  for (let i = 0; i < samples; i++) {
    const key = String(i).padStart(6, '0');
    entries.push({ name: `${key}.jpg`, data: new Uint8Array([0xff, 0xd8, 0xff, i % 256]) });
    entries.push({ name: `${key}.txt`, data: `a red circle number ${i}` });
  }
  await writeTarShard(file, entries);
  return file;
}

/** A clip_benchmark folder with two classes. */
export async function writeEvalSet(dir: string): Promise<string> {
  await mkdir(join(dir, 'test'), { recursive: true });
  await writeFile(join(dir, 'classnames.txt'), 'red circle\nblue square\n');
  await writeFile(join(dir, 'zeroshot_classification_templates.txt'), 'a photo of a {c}.\n');
  await writeTarShard(join(dir, 'test', '0.tar'), [
    { name: '000000.png', data: new Uint8Array([1, 2, 3]) },
    { name: '000000.cls', data: '0' },
  ]);
  return dir;
}

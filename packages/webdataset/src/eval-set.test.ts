import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvalSet, type EvalSample } from './eval-set.js';
import { writeTarShard } from './tar-writer.js';
import { makeTempDir, tinyPng } from './test-helpers.js';

describe('readEvalSet', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let png: Buffer;
  const set = () => path.join(dir, 'set');
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    png = await tinyPng(4, 4);
    await mkdir(path.join(set(), 'test'), { recursive: true });
    await writeFile(path.join(set(), 'classnames.txt'), 'red circle\nblue square\n');
    await writeFile(
      path.join(set(), 'zeroshot_classification_templates.txt'),
      'a photo of a {c}.\n\na {c}.\n',
    );
    await writeTarShard(path.join(set(), 'test', '0.tar'), [
      { name: 'k0.png', data: png },
      { name: 'k0.cls', data: '1' },
      { name: 'k0.txt', data: 'a blue square' },
      { name: 'k1.webp', data: png },
      { name: 'k1.cls', data: '0\n' },
      { name: 'k2.png', data: png },
      { name: 'k2.cls', data: '7' },
      { name: 'k3.png', data: png },
    ]);
    await writeTarShard(path.join(set(), 'test', '1.tar'), [
      { name: 'k4.jpg', data: png },
      { name: 'k4.cls', data: '0' },
    ]);
  });
  afterAll(() => cleanup());

  it('reads class names, templates and labelled samples, skipping bad labels', async () => {
    const evalSet = await readEvalSet(set());
    expect(evalSet.classnames).toEqual(['red circle', 'blue square']);
    expect(evalSet.templates).toEqual(['a photo of a {c}.', 'a {c}.']);
    const read = async () => {
      const out: EvalSample[] = [];
      for await (const s of evalSet.samples) out.push(s);
      return out;
    };
    const samples = await read();
    expect(samples.map((s) => [s.key, s.cls, s.imageExt, s.caption])).toEqual([
      ['k0', 1, 'png', 'a blue square'],
      ['k1', 0, 'webp', undefined],
      ['k4', 0, 'jpg', undefined],
    ]);
    expect(evalSet.stats.missingLabel).toBe(2);
    expect(evalSet.stats.examples.join('\n')).toMatch(
      /0\.tar#k2 has class "7", not an index below 2/,
    );
    expect(await read()).toHaveLength(3);
  });

  it('names the missing or malformed file', async () => {
    await expect(readEvalSet(path.join(dir, 'nowhere'))).rejects.toThrow(
      /nowhere is not a directory/,
    );
    const broken = path.join(dir, 'broken');
    await mkdir(broken);
    await expect(readEvalSet(broken)).rejects.toThrow(
      `${path.join(broken, 'classnames.txt')} does not exist`,
    );
    await writeFile(path.join(broken, 'classnames.txt'), 'a\n');
    await expect(readEvalSet(broken)).rejects.toThrow(
      /zeroshot_classification_templates\.txt does not exist/,
    );
    await writeFile(
      path.join(broken, 'zeroshot_classification_templates.txt'),
      'a photo of a thing\n',
    );
    await expect(readEvalSet(broken)).rejects.toThrow(
      /line 1 \("a photo of a thing"\) has no \{c\} placeholder/,
    );
    await writeFile(path.join(broken, 'zeroshot_classification_templates.txt'), '{c}\n');
    await expect(readEvalSet(broken)).rejects.toThrow(
      `${path.join(broken, 'test')} does not exist`,
    );
    await mkdir(path.join(broken, 'test'));
    await expect(readEvalSet(broken)).rejects.toThrow(/holds no \.tar shards/);
    await rm(broken, { recursive: true });
  });
});

import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataStats, readEvalSet, readWebDataset } from '@curio/webdataset';
import { makeTempDir } from '@curio/webdataset/testing';
import { parseClasses } from './catalog.js';
import { COLOURS, SHAPES } from './catalog.js';
import { generateSyntheticData, type SyntheticDataResult } from './generate.js';
import { readSyntheticData } from './manifest.js';

async function filesUnder(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full), await readFile(full));
  }
  return out;
}

describe('generateSyntheticData', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let first: SyntheticDataResult;
  const options = {
    seed: 11,
    poolSize: 80,
    onTargetFraction: 0.25,
    mismatchedFraction: 0.1,
    shardSize: 30,
    evalPerClass: 2,
    imageSize: 24,
  };
  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir('curio-synth-'));
    first = await generateSyntheticData({ ...options, outDir: path.join(dir, 'a') });
  });
  afterAll(() => cleanup());

  it('is deterministic: the same seed writes identical bytes, another seed does not', async () => {
    await generateSyntheticData({ ...options, outDir: path.join(dir, 'b') });
    await generateSyntheticData({ ...options, seed: 12, outDir: path.join(dir, 'c') });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => filesUnder(path.join(dir, d))));
    expect([...a!.keys()].sort()).toEqual([...b!.keys()].sort());
    for (const [name, bytes] of a!) expect(bytes.equals(b!.get(name) as Buffer), name).toBe(true);
    expect(
      a!
        .get(path.join('pool', '00000.tar'))
        ?.equals(c!.get(path.join('pool', '00000.tar')) as Buffer),
    ).toBe(false);
  });

  it('writes img2dataset shards with the requested fractions', async () => {
    expect(first.counts).toEqual({
      pool: 80,
      onTarget: 20,
      paraphrased: 0,
      mismatched: 8,
      offTarget: 52,
      eval: 24,
      evalShards: 1,
    });
    expect(first.poolShards.map((s) => path.basename(s))).toEqual([
      '00000.tar',
      '00001.tar',
      '00002.tar',
    ]);
    const stats = createDataStats();
    const kinds: Record<string, number> = {};
    const keys = new Set<string>();
    for (const shard of first.poolShards) {
      for await (const s of readWebDataset(shard, stats)) {
        const json = s.json as { kind: string; class?: string; caption: string };
        kinds[json.kind] = (kinds[json.kind] ?? 0) + 1;
        expect(json.caption).toBe(s.caption);
        expect(s.imageExt).toBe('png');
        keys.add(s.key);
      }
    }
    expect(kinds).toEqual({ 'on-target': 20, mismatched: 8, 'off-target': 52 });
    expect(keys.size).toBe(80);
    expect(stats.yielded).toBe(80);
    expect((await readFile(first.metadataFile, 'utf8')).trim().split('\n')).toEqual(first.classes);
    expect(first.classes).toHaveLength(12);
  });

  it('writes a clip_benchmark eval set with every class equally often', async () => {
    const evalSet = await readEvalSet(first.evalDir);
    expect(evalSet.classnames).toEqual(first.classes);
    expect(evalSet.templates.every((t) => t.includes('{c}'))).toBe(true);
    const perClass = new Array(first.classes.length).fill(0);
    for await (const s of evalSet.samples) perClass[s.cls] += 1;
    expect(perClass).toEqual(new Array(first.classes.length).fill(2));
  });

  it('reopens a generated folder from its manifest, and names a folder that is not one', async () => {
    await expect(readSyntheticData(path.join(dir, 'a'))).resolves.toEqual(first);
    await expect(readSyntheticData(dir)).rejects.toThrow(/synthetic\.json not found/);
  });

  it('rejects bad options, naming them', async () => {
    const outDir = path.join(dir, 'bad');
    await expect(
      generateSyntheticData({ ...options, outDir, onTargetFraction: 1.5 }),
    ).rejects.toThrow(/onTargetFraction must be in \[0, 1\], got 1.5/);
    await expect(generateSyntheticData({ ...options, outDir, poolSize: 0 })).rejects.toThrow(
      /poolSize/,
    );
    await expect(
      generateSyntheticData({ ...options, outDir, classes: ['red circle', 'mauve blob'] }),
    ).rejects.toThrow(/"mauve blob"/);
    expect(() => parseClasses(['red circle', 'Red  Circle'])).toThrow(/listed twice/);
    await expect(
      generateSyntheticData({ ...options, outDir, paraphraseFraction: -0.1 }),
    ).rejects.toThrow(/paraphraseFraction must be in \[0, 1\], got -0.1/);
  });
});

/** Lower-case words, as the lexical matcher compares them. */
const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
/** Every word of every colour and shape name and synonym in the catalog. */
const CLASS_WORDS = new Set(
  [...COLOURS, ...SHAPES].flatMap((d) => [d.name, ...d.synonyms].flatMap(wordsOf)),
);

describe('paraphrased captions', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await makeTempDir('curio-synth-para-')));
  afterAll(() => cleanup());

  it('no catalog paraphrase uses a word of any class name or synonym', () => {
    for (const d of [...COLOURS, ...SHAPES])
      for (const p of d.paraphrases)
        expect(
          wordsOf(p).filter((w) => CLASS_WORDS.has(w)),
          `${d.name}: ${p}`,
        ).toEqual([]);
  });

  it('paraphrases the requested share of on-target captions, and the manifest counts them', async () => {
    const data = await generateSyntheticData({
      outDir: dir,
      seed: 3,
      poolSize: 400,
      onTargetFraction: 0.5,
      paraphraseFraction: 0.5,
      shardSize: 400,
      evalPerClass: 1,
      imageSize: 24,
    });
    let paraphrased = 0;
    let onTarget = 0;
    for await (const s of readWebDataset(data.poolShards[0] as string, createDataStats())) {
      const json = s.json as { kind: string; aligned: boolean; paraphrased?: boolean };
      expect(json.aligned).toBe(json.kind === 'on-target');
      if (json.kind === 'off-target') expect(json.paraphrased).toBeUndefined();
      if (json.kind === 'on-target') onTarget++;
      if (!json.paraphrased) continue;
      expect(
        wordsOf(s.caption ?? '').filter((w) => CLASS_WORDS.has(w)),
        s.caption ?? '',
      ).toEqual([]);
      if (json.kind === 'on-target') paraphrased++;
    }
    expect(onTarget).toBe(200);
    expect(data.counts.paraphrased).toBe(paraphrased);
    expect(paraphrased).toBeGreaterThan(70);
    expect(paraphrased).toBeLessThan(130);
    expect(data.paraphraseFraction).toBe(0.5);
    await expect(readSyntheticData(dir)).resolves.toEqual(data);
  });
});

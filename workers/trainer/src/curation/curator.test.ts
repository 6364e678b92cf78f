// The curator's rounds over a real (tiny) synthetic pool, scored by a word-counting embedder so
// that when the model agrees with the lexical matcher is known in advance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionStream, resolvePool, type PoolShard } from '@curio/webdataset';
import { DEFAULT_CLASS_NAMES, generateSyntheticData } from '@curio/synthetic';
import { makeTempDir } from '@curio/webdataset/testing';
import { Curator, type CuratorOptions } from './curator.js';
import { words } from './lexical.js';
import type { TextEmbedder } from './metadata-embedding.js';

const COLOURS = new Set(['red', 'green', 'blue', 'yellow']);

/** [1, 0] for a text naming a class colour, [0, 1] otherwise: it ranks lexical hits first. */
function colourEmbedder(): TextEmbedder & { embedded: number } {
  const e = {
    dim: 2,
    embedded: 0,
    embedTexts(texts: readonly string[]): Promise<Float32Array> {
      e.embedded += texts.length;
      const out = new Float32Array(texts.length * 2);
      texts.forEach((t, i) => (out[2 * i + (words(t).some((w) => COLOURS.has(w)) ? 0 : 1)] = 1));
      return Promise.resolve(out);
    },
  };
  return e;
}

describe('Curator', () => {
  let shards: PoolShard[];
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const tmp = await makeTempDir('curio-curator-');
    cleanup = tmp.cleanup;
    const data = await generateSyntheticData({
      outDir: tmp.dir,
      seed: 5,
      poolSize: 480,
      onTargetFraction: 0.3,
      imageSize: 16,
      evalPerClass: 1,
    });
    shards = await resolvePool([{ name: 'synthetic', shards: [data.poolDir] }]);
  });
  afterAll(() => cleanup());

  /** A lexical-cold-start curator over the whole tiny pool, 40-caption chunks. */
  const curatorWith = (
    o: Partial<CuratorOptions> & Pick<CuratorOptions, 'warmAgreement'>,
  ): Curator =>
    new Curator({
      stream: captionStream(shards, { loop: true }),
      metadata: DEFAULT_CLASS_NAMES.map((name) => ({ name, forms: [name] })),
      templates: ['{}'],
      embedder: colourEmbedder(),
      settings: { threshold: 0.5, minRatio: 0.01, bootstrap: 'lexical', handoverBound: 2 },
      chunkSize: 40,
      target: Number.POSITIVE_INFINITY,
      maxScan: 480,
      ...o,
    });

  it('scores a sample of chunks while cold, every chunk once the model agrees', async () => {
    const embedder = colourEmbedder();
    const curator = curatorWith({
      embedder,
      warmAgreement: 0.8,
    });
    const cold = await curator.round();
    expect(cold.stats.warm).toBe(false);
    expect(cold.stats.scanned).toBe(480);
    expect(cold.stats.scorers).toEqual({ lexical: 12 });
    // One chunk in four (chunks 1, 5, 9) is embedded for the agreement measure.
    expect(cold.stats.modelScored).toBe(120);
    expect(cold.stats.lexicalAgreement).toBeGreaterThan(0.8);
    expect(cold.buffer.length).toBe(cold.stats.lexicalHits);

    const warm = await curator.round();
    expect(warm.stats.warm).toBe(true);
    expect(warm.stats.modelScored).toBe(480);
    expect(warm.buffer.length).toBeGreaterThan(warm.stats.lexicalHits);
  });

  it('never hands over without a warm bar, whatever the agreement (handover: never)', async () => {
    const curator = curatorWith({
      warmAgreement: undefined,
    });
    const first = await curator.round();
    // No agreement sample: the model scores only chunks that γ tops up.
    expect(first.stats.modelScored).toBe(40 * first.stats.gammaChunks);
    const second = await curator.round();
    expect(second.stats.warm).toBe(false);
    expect(second.buffer.length).toBe(second.stats.lexicalHits);
  });

  it('filters pairs from the second round on, dropping those that agree least', async () => {
    const seen: number[] = [];
    const curator = curatorWith({
      warmAgreement: undefined,
      pairFilter: {
        fraction: 0.25,
        // Agreement rises with the caption's length: the shortest captions go.
        agreement: (samples) => {
          seen.push(samples.length);
          return Promise.resolve(Float32Array.from(samples, (s) => s.caption.length));
        },
      },
    });
    const first = await curator.round();
    expect(first.stats.pairFiltered).toBe(0);
    expect(seen).toEqual([]);
    const second = await curator.round();
    const before = first.buffer.length; // the same 480 pairs, scanned again
    expect(seen).toEqual([before]);
    expect(second.stats.pairFiltered).toBe(Math.floor(0.25 * before));
    expect(second.buffer.length).toBe(before - Math.floor(0.25 * before));
    const shortestKept = Math.min(...second.buffer.map((s) => s.caption.length));
    const dropped = first.buffer.filter((s) => !second.buffer.some((k) => k.id === s.id));
    expect(Math.max(...dropped.map((s) => s.caption.length))).toBeLessThanOrEqual(shortestKept);
  });
});

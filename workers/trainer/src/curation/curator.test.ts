// The curator's rounds over a real (tiny) synthetic pool, scored by a word-counting embedder so
// that when the model agrees with the lexical matcher is known in advance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionStream, resolvePool, type CaptionSample, type PoolShard } from '@curio/webdataset';
import { DEFAULT_CLASS_NAMES, generateSyntheticData } from '@curio/synthetic';
import { makeTempDir } from '@curio/webdataset/testing';
import { Curator, type CuratorOptions } from './curator.js';
import { words } from './lexical.js';
import type { TextEmbedder } from './metadata-embedding.js';

const COLOURS = new Set(['red', 'green', 'blue', 'yellow']);

/**
 * Texts naming a class colour point near [1, 0], the rest near [0, 1]; the caption's length tilts
 * each a little, so that scores vary among the lexical hits and some other captions outscore them.
 */
function colourEmbedder(): TextEmbedder & { embedded: number } {
  const e = {
    dim: 2,
    embedded: 0,
    embedTexts(texts: readonly string[]): Promise<Float32Array> {
      e.embedded += texts.length;
      const out = new Float32Array(texts.length * 2);
      texts.forEach((t, i) => {
        const tilt = (t.length % 7) / 10;
        const colour = words(t).some((w) => COLOURS.has(w));
        out[2 * i] = colour ? 1 : tilt;
        out[2 * i + 1] = colour ? tilt : 1;
      });
      return Promise.resolve(out);
    },
  };
  return e;
}

const kindOf = (s: CaptionSample) => (s.json as { kind: string }).kind;
/** Agreement that a model which learnt the pairs would give: swapped captions far below. */
const truthAgreement = (samples: readonly CaptionSample[]) =>
  Float32Array.from(samples, (s, i) => (kindOf(s) === 'mismatched' ? 0.02 : 0.5 + (i % 10) / 100));
/** Images of on-target pairs look like a class; other images do not. */
const truthImageScore = (samples: readonly CaptionSample[]) =>
  Float32Array.from(samples, (s, i) => (kindOf(s) === 'on-target' ? 0.8 + (i % 10) / 100 : 0.1));
const truthEvidence = (samples: readonly CaptionSample[]) =>
  Promise.resolve({ agreement: truthAgreement(samples), imageScore: truthImageScore(samples) });

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
  const curatorWith = (o: Partial<CuratorOptions>): Curator =>
    new Curator({
      stream: captionStream(shards, { loop: true }),
      metadata: DEFAULT_CLASS_NAMES.map((name) => ({ name, forms: [name] })),
      templates: ['{}'],
      embedder: colourEmbedder(),
      settings: { threshold: 0.5, minRatio: 0.01, bootstrap: 'lexical' },
      chunkSize: 40,
      target: Number.POSITIVE_INFINITY,
      maxScan: 480,
      evidence: truthEvidence,
      roundSteps: () => 10,
      imageProbe: 0,
      ...o,
    });
  const handover = {
    warm: { bar: 0.7, smoothing: 0.5, hysteresis: 0.05 },
    cap: { start: 1, bound: 2 },
  };

  it("measures by images while cold, then adds only above the hits' median image score within the cap", async () => {
    const curator = curatorWith({ handover, imageProbe: 200 });
    const cold = await curator.round();
    expect(cold.stats.warm).toBe(false);
    expect(cold.stats.scanned).toBe(480);
    expect(cold.stats.scorers).toEqual({ lexical: 12 });
    // The text tower scores no caption; the images of the hits and of a uniform sample of the
    // rejected pairs say how well the model agrees with the lexical matcher.
    expect(cold.stats.modelScored).toBe(0);
    expect(cold.stats.lexicalAgreement).toBeGreaterThan(0.7);
    expect(cold.stats.handover).toBeUndefined();
    expect(cold.buffer.length).toBe(cold.stats.lexicalHits);

    const warm = await curator.round();
    expect(warm.stats.warm).toBe(true);
    expect(warm.stats.modelScored).toBe(0);
    const h = warm.stats.handover!;
    expect(h.cap).toBe(Math.floor(1 * warm.stats.lexicalHits));
    // The word scorer was untrained: the whole probe was uniform.
    expect([h.probed, h.ranked]).toEqual([200, 0]);
    expect(h.added).toBeGreaterThan(0);
    expect(h.added).toBeLessThanOrEqual(Math.min(h.cap, h.eligible));
    expect(h.addedImageMedian!).toBeGreaterThan(h.hitImageMedian!);
    // Every lexical hit stays (bar the filter's outliers); the additions come on top, and they
    // are pairs whose images show a class.
    expect(warm.buffer.length).toBe(warm.stats.lexicalHits + h.added - warm.stats.pairFiltered);
    expect(warm.buffer.slice(-h.added).every((s) => kindOf(s) === 'on-target')).toBe(true);
    // Their captions agreed with their images as the hits' do: the cap doubles.
    expect(h.nextCapShare).toBe(2);
    expect(curator.state()).toMatchObject({ capShare: 2, rounds: 2, warm: { warm: true } });

    // Trained on what the images said, the word scorer now aims most of the probe.
    const third = await curator.round();
    expect(third.stats.handover).toMatchObject({ probed: 200, ranked: 150 });
  });

  it("a trained model (a growth run's) that agrees adds and filters from its first round", async () => {
    const curator = curatorWith({
      handover,
      imageProbe: 200,
      pairFilterSeparation: 3,
      trainedModel: true,
    });
    const first = await curator.round();
    expect(first.stats.warm).toBe(true);
    expect(first.stats.handover!.added).toBeGreaterThan(0);
    expect(first.stats.pairFiltered).toBeGreaterThan(0);
    expect(first.stats.truth).toMatchObject({ alignedDropped: 0 });
    expect(first.buffer.every((s) => kindOf(s) === 'on-target')).toBe(true);
    expect(curator.state()).toMatchObject({ rounds: 1, warm: { warm: true } });
  });

  it('once warm, also drops hits whose images show no class, however well their captions agree', async () => {
    const curator = curatorWith({
      handover,
      imageProbe: 200,
      pairFilterSeparation: 3,
      trainedModel: true,
      // Agreement says nothing (no low mode): only the images can tell the swapped captions.
      evidence: (samples) =>
        Promise.resolve({
          agreement: Float32Array.from(samples, (_, i) => 0.5 + (i % 10) / 100),
          imageScore: truthImageScore(samples),
        }),
    });
    const first = await curator.round();
    expect(first.stats.warm).toBe(true);
    const truth = first.stats.truth!;
    expect(truth.swappedHits).toBeGreaterThan(0);
    expect(truth).toMatchObject({ swappedDropped: truth.swappedHits, alignedDropped: 0 });
  });

  it('a trained model that does not agree stays cold and adds nothing', async () => {
    const curator = curatorWith({
      handover,
      imageProbe: 200,
      trainedModel: true,
      // Images that say nothing: every pair scores the same.
      evidence: (samples) =>
        Promise.resolve({
          agreement: truthAgreement(samples),
          imageScore: new Float32Array(samples.length).fill(0.3),
        }),
    });
    const first = await curator.round();
    expect(first.stats.warm).toBe(false);
    expect(first.stats.handover).toBeUndefined();
    expect(first.buffer.length).toBe(first.stats.lexicalHits);
    expect(curator.state().warm.warm).toBe(false);
  });

  it('never adds without a handover, whatever the agreement (handover: never)', async () => {
    const curator = curatorWith({});
    const first = await curator.round();
    // Without a handover nothing is measured: the text tower scores only chunks that γ tops up.
    expect(first.stats.modelScored).toBe(40 * first.stats.gammaChunks);
    expect(first.stats.lexicalAgreement).toBeNull();
    const second = await curator.round();
    expect(second.stats.warm).toBe(false);
    expect(second.stats.handover).toBeUndefined();
    expect(second.buffer.length + second.stats.pairFiltered).toBe(second.stats.lexicalHits);
  });

  it('drops swapped captions from the second round on, and reports them', async () => {
    const seen: number[] = [];
    const curator = curatorWith({
      pairFilterSeparation: 3,
      evidence: (samples) => {
        seen.push(samples.length);
        return truthEvidence(samples);
      },
    });
    const first = await curator.round();
    expect(first.stats.pairFiltered).toBe(0);
    expect(seen).toEqual([]);
    const swapped = first.buffer.filter((s) => kindOf(s) === 'mismatched').length;
    expect(swapped).toBeGreaterThan(0);
    const second = await curator.round();
    expect(seen).toEqual([first.buffer.length]);
    expect(second.stats.pairFiltered).toBe(swapped);
    expect(second.stats.truth).toMatchObject({ swappedDropped: swapped, alignedDropped: 0 });
    expect(second.buffer.some((s) => kindOf(s) === 'mismatched')).toBe(false);
    const aligned = second.buffer.filter((s) => kindOf(s) === 'on-target').length;
    expect(second.stats.keptOnTarget).toBe(aligned / second.buffer.length);
  });

  it('keeps a clean round whole', async () => {
    const curator = curatorWith({
      pairFilterSeparation: 3,
      evidence: (samples) =>
        Promise.resolve({
          agreement: Float32Array.from(samples, (_, i) => 0.5 + (i % 10) / 100),
          imageScore: truthImageScore(samples),
        }),
    });
    const first = await curator.round();
    const second = await curator.round();
    expect(second.stats.pairFilter).toMatchObject({ dropped: 0 });
    expect(second.buffer.length).toBe(first.buffer.length);
  });
});

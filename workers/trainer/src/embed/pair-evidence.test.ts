import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDataStats, type CaptionSample } from '@curio/webdataset';
import { tinyPng } from '@curio/webdataset/testing';
import { decodeBatch } from '../data/index.js';
import { ClipModel } from '../model/clip-model.js';
import { ModelConfig } from '../model/config.js';
import { microConfig } from '../model/micro.js';
import { trainBpe, type Tokenizer } from '../tokenizer/index.js';
import { embedImages, embedTexts } from './embedder.js';
import { pairEvidence } from './pair-evidence.js';

let samples: CaptionSample[];
let tokenizer: Tokenizer;
let model: ClipModel;
const captions = ['red circle', 'blue square', 'green triangle'];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const colours: [number, number, number][] = [
    [255, 0, 0],
    [0, 0, 255],
    [0, 255, 0],
  ];
  samples = await Promise.all(
    colours.map(async (rgb, i) => ({
      id: `s#${i}`,
      source: 's',
      shard: 's',
      key: String(i),
      caption: captions[i]!,
      imageBytes: await tinyPng(8, 8, () => rgb),
      imageExt: 'png' as const,
    })),
  );
  tokenizer = trainBpe(captions, { vocabSize: 300 });
  const micro = microConfig();
  const config = ModelConfig.parse({
    ...micro,
    text: { ...micro.text, vocab: tokenizer.vocabSize },
    joint: { tokens: 2, stages: 1 },
  });
  model = new ClipModel(config, { seed: 2 });
});

describe('pairEvidence', () => {
  const meta = () => new Float32Array(8).fill(8 ** -0.5); // one unit metadata embedding

  it('measures agreement by the dual-encoder cosine by default', async () => {
    const ev = await pairEvidence(model, tokenizer, samples, meta(), createDataStats());
    const decoded = await decodeBatch(samples, { size: 8, stats: createDataStats() });
    const images = embedImages(model, decoded.pixels, 3);
    const texts = embedTexts(model, tokenizer, captions);
    for (let k = 0; k < 3; k++) {
      let dot = 0;
      for (let j = 0; j < 8; j++) dot += images[k * 8 + j]! * texts[k * 8 + j]!;
      expect(ev.agreement[k]).toBeCloseTo(dot, 5);
    }
  });

  it("measures it by the joint module's match logit with pairScore joint", async () => {
    const ev = await pairEvidence(model, tokenizer, samples, meta(), createDataStats(), 'joint');
    const decoded = await decodeBatch(samples, { size: 8, stats: createDataStats() });
    const logits = tf.tidy(() => {
      const images = tf.tensor4d(decoded.pixels, [3, 8, 8, 3]);
      const ids = tokenizer.encodeBatch(captions, model.config.text.context);
      const tokens = tf.tensor2d(ids, [3, model.config.text.context], 'int32');
      return model.matchLogits(model.encodePairs(images, tokens)).dataSync();
    });
    for (let k = 0; k < 3; k++) expect(ev.agreement[k]).toBeCloseTo(logits[k]!, 5);
    const cosine = await pairEvidence(model, tokenizer, samples, meta(), createDataStats());
    expect(ev.imageScore).toEqual(cosine.imageScore);
  });
});

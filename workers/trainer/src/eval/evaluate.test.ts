import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { embedImages, embedImagesInTurns } from '../embed/embedder.js';
import { ClipModel, ModelConfig } from '../model/index.js';
import { microConfig } from '../model/micro.js';
import { trainBpe } from '../tokenizer/index.js';
import { evaluate } from './evaluate.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluate', () => {
  it('scores every image, and lets timers run between chunks (a worker’s heartbeat beats)', async () => {
    const tokenizer = trainBpe(['a red thing', 'a blue thing'], { vocabSize: 262 });
    const micro = microConfig();
    const config = ModelConfig.parse({
      ...micro,
      text: { ...micro.text, vocab: tokenizer.vocabSize },
    });
    const model = new ClipModel(config, { seed: 1 });
    const n = 3 * 256;
    const size = config.image.size;
    const set = {
      name: 'noise',
      classnames: ['red', 'blue'],
      templates: ['a {c} thing'],
      pixels: Float32Array.from({ length: n * size * size * 3 }, (_, i) => Math.sin(i)),
      labels: Array.from({ length: n }, (_, i) => i % 2),
      problems: '',
    };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const r = await evaluate(model, tokenizer, set);
    clearInterval(timer);
    // The chunked embedding is the one-pass embedding, chunk offsets included.
    const inTurns = await embedImagesInTurns(model, set.pixels, n);
    expect(inTurns).toEqual(embedImages(model, set.pixels, n));
    model.dispose();
    expect(r.zeroShot.n).toBe(n);
    expect(r.zeroShot.top5).toBe(1); // two classes: every label ranks in the top 5
    // A turn of the event loop per chunk of 256 images: without them the timer never fires here.
    expect(ticks).toBeGreaterThanOrEqual(2);
  });
});

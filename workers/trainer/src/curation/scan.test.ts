import type { CaptionSample } from '@curio/webdataset';
import { describe, expect, it } from 'vitest';
import { createLexicalMatcher } from './lexical.js';
import { scanRound } from './scan.js';

/** Captions from memory: every `next()` settles at once, as buffered shard reads do. */
async function* captions(n: number): AsyncGenerator<CaptionSample> {
  for (let i = 0; i < n; i++) {
    const caption = i % 4 === 0 ? 'a red circle' : 'a photo of a street';
    yield {
      id: `s#${i}`,
      source: 's',
      shard: 's',
      key: `${i}`,
      caption,
      imageBytes: Buffer.alloc(0),
      imageExt: 'png',
    };
  }
}

/** A text tower that computes for `ms` without yielding, as a tfjs forward does. */
const blockingEmbedder = (ms: number) => ({
  dim: 2,
  embedTexts: async (texts: readonly string[]) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
    return Float32Array.from(texts.flatMap((t) => (t.includes('red') ? [1, 0] : [0, 1])));
  },
});

describe('a round scan', () => {
  it('lets timers run between chunks (a worker’s heartbeat keeps beating)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const scan = await scanRound({
      captions: captions(8 * 16),
      lexical: createLexicalMatcher([['red circle']]),
      meta: Float32Array.from([1, 0]),
      embedder: blockingEmbedder(20),
      settings: { threshold: 0.5, minRatio: 0.25, bootstrap: 'none' },
      chunkSize: 16,
      target: 1000,
      maxScan: 1000,
      uniformSample: 4,
      rejectedSample: 4,
      seed: 1,
      round: 0,
    });
    clearInterval(timer);
    expect(scan.chunks).toBe(8);
    expect(scan.selected).toHaveLength(32);
    // Without a turn of the event loop per chunk, the whole scan runs before the timer fires once.
    expect(ticks).toBeGreaterThanOrEqual(scan.chunks - 1);
  });
});

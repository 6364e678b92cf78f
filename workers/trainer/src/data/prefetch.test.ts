import { describe, expect, it } from 'vitest';
import { prefetch } from './prefetch.js';

describe('prefetch', () => {
  it('keeps order and runs ahead of the consumer by up to depth items', async () => {
    const produced: number[] = [];
    async function* source() {
      for (let i = 0; i < 6; i++) {
        produced.push(i);
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const x of prefetch(source(), 2)) {
      await new Promise((r) => setTimeout(r, 5));
      // While the consumer holds item x, the producer has fetched up to 2 more.
      expect(produced.length).toBeLessThanOrEqual(Math.min(6, x + 4));
      if (x === 0) expect(produced.length).toBeGreaterThanOrEqual(2);
      seen.push(x);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('passes errors through after the items before them', async () => {
    async function* source() {
      yield 1;
      throw new Error('shard exploded');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of prefetch(source(), 3)) seen.push(x);
      })(),
    ).rejects.toThrow('shard exploded');
    expect(seen).toEqual([1]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const x of prefetch(source(), 2)) if (x === 3) break;
    expect(closed).toBe(true);
    await expect(prefetch(source(), -1).next()).rejects.toThrow(
      /depth must be a non-negative integer/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { CaptionSample } from '@curio/webdataset';
import { planRound } from './round-plan.js';

const pair = (id: string, source = 'web'): CaptionSample =>
  ({
    id,
    source,
    shard: 's',
    key: id,
    caption: id,
    imageBytes: Buffer.alloc(0),
    imageExt: 'png',
  }) as CaptionSample;

const buffer = Array.from({ length: 40 }, (_, i) => pair(`kept-${i}`));
const rejected = Array.from({ length: 100 }, (_, i) => pair(`rejected-${i}`));
const base = {
  buffer,
  steps: 5,
  firstStep: 100,
  batchSize: 16,
  multipleOf: 1,
  sampling: 'debiased' as const,
  seed: 7,
};

describe('planRound', () => {
  it('cuts the buffer into batches without repeating a pair inside a batch', () => {
    const batches = planRound(base);
    expect(batches.map((b) => b.index)).toEqual([100, 101, 102, 103, 104]);
    for (const b of batches) {
      expect(b.samples).toHaveLength(16);
      expect(new Set(b.samples.map((s) => s.id)).size).toBe(16);
    }
  });

  it('gives smaller batches when the buffer is smaller than a batch, in multiples of the sub-batch', () => {
    const batches = planRound({ ...base, buffer: buffer.slice(0, 13), multipleOf: 4 });
    expect(batches.every((b) => b.samples.length === 12)).toBe(true);
  });

  it('mixes the exploration share of rejected pairs into every batch', () => {
    const batches = planRound({ ...base, explore: { pool: rejected, share: 0.25 } });
    for (const b of batches) {
      const explored = b.samples.filter((s) => s.id.startsWith('rejected-'));
      expect(explored).toHaveLength(4);
      expect(b.samples).toHaveLength(16);
      expect(new Set(b.samples.map((s) => s.id)).size).toBe(16);
    }
  });

  it('is deterministic for a seed and first step', () => {
    const ids = (seed: number) =>
      planRound({ ...base, seed, explore: { pool: rejected, share: 0.25 } }).flatMap((b) =>
        b.samples.map((s) => s.id),
      );
    expect(ids(7)).toEqual(ids(7));
    expect(ids(7)).not.toEqual(ids(8));
  });

  it('refuses an empty buffer with a message', () => {
    expect(() => planRound({ ...base, buffer: [] })).toThrow(/curation kept no pairs/);
  });
});

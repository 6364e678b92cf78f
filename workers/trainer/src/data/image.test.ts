import { describe, expect, it } from 'vitest';
import { Rng } from '@curio/random';
import {
  CLIP_MEAN,
  CLIP_STD,
  cropBox,
  decodeBatch,
  decodeImage,
  drawAugmentation,
} from './image.js';
import { createDataStats } from '@curio/webdataset';
import { tinyPng } from '@curio/webdataset/testing';

const noCrop = { randomResizedCrop: false, minScale: 1, flip: true };

/** Undo the CLIP normalisation of channel c at pixel (x, y) of an HWC image. */
function byteAt(img: Float32Array, size: number, x: number, y: number, c: number): number {
  return (
    Math.round(
      ((img[(y * size + x) * 3 + c] as number) * (CLIP_STD[c] as number) +
        (CLIP_MEAN[c] as number)) *
        255,
    ) + 0
  );
}

describe('decodeImage', () => {
  it('gives size × size × 3 normalised floats, resizing without augmentation', async () => {
    const png = await tinyPng(16, 12, () => [255, 0, 128]);
    const img = await decodeImage(png, { size: 8 });
    expect(img).toBeInstanceOf(Float32Array);
    expect(img?.length).toBe(8 * 8 * 3);
    expect([0, 1, 2].map((c) => byteAt(img as Float32Array, 8, 3, 3, c))).toEqual([255, 0, 128]);
  });

  it('flips deterministically: the same seed gives the same image, a flip mirrors it', async () => {
    const png = await tinyPng(8, 8);
    const plain = (await decodeImage(png, { size: 8 })) as Float32Array;
    const seeds = [1, 2, 3, 4, 5, 6];
    const flips = seeds.map((s) => drawAugmentation(new Rng(s), noCrop).flip);
    expect(flips).toContain(true);
    expect(flips).toContain(false);
    for (const [i, seed] of seeds.entries()) {
      const a = (await decodeImage(png, {
        size: 8,
        augment: noCrop,
        rng: new Rng(seed),
      })) as Float32Array;
      const b = (await decodeImage(png, {
        size: 8,
        augment: noCrop,
        rng: new Rng(seed),
      })) as Float32Array;
      expect(Array.from(a)).toEqual(Array.from(b));
      const leftRed = byteAt(a, 8, 0, 4, 0);
      expect(leftRed).toBe(flips[i] ? byteAt(plain, 8, 7, 4, 0) : byteAt(plain, 8, 0, 4, 0));
    }
  });

  it('random resized crops stay inside the image and respect minScale', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 200; i++) {
      const draw = drawAugmentation(rng, { randomResizedCrop: true, minScale: 0.5, flip: false });
      expect(draw.area).toBeGreaterThanOrEqual(0.5);
      const box = cropBox(48, 40, draw);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left + box.width).toBeLessThanOrEqual(48);
      expect(box.top + box.height).toBeLessThanOrEqual(40);
    }
  });

  it('returns null and counts bytes that are not an image', async () => {
    const stats = createDataStats();
    expect(
      await decodeImage(Buffer.from('definitely not a png'), { size: 8, stats, label: 'pool#k1' }),
    ).toBeNull();
    expect(stats.undecodableImage).toBe(1);
    expect(stats.examples[0]).toMatch(/^undecodableImage: pool#k1: /);
    await expect(decodeImage(Buffer.alloc(1), { size: 0 })).rejects.toThrow(
      /size must be a positive integer/,
    );
    await expect(decodeImage(Buffer.alloc(1), { size: 8, augment: noCrop })).rejects.toThrow(
      /augment needs an rng/,
    );
  });
});

describe('decodeBatch', () => {
  it('decodes into one [B, H, W, 3] array, leaving out undecodable images', async () => {
    const red = await tinyPng(10, 10, () => [250, 0, 0]);
    const blue = await tinyPng(10, 10, () => [0, 0, 250]);
    const stats = createDataStats();
    const augment = { randomResizedCrop: true, minScale: 0.6, flip: true };
    const batch = [red, { imageBytes: Buffer.from('junk'), id: 'shard#bad' }, blue];
    const out = await decodeBatch(batch, { size: 6, augment, rng: new Rng(3), stats });
    expect(out.shape).toEqual([2, 6, 6, 3]);
    expect(out.kept).toEqual([0, 2]);
    expect(out.pixels.length).toBe(2 * 6 * 6 * 3);
    expect(byteAt(out.pixels, 6, 2, 2, 0)).toBeGreaterThan(240);
    expect(byteAt(out.pixels.subarray(6 * 6 * 3), 6, 2, 2, 2)).toBeGreaterThan(240);
    expect(stats.undecodableImage).toBe(1);
    expect(stats.examples[0]).toMatch(/shard#bad/);
    const again = await decodeBatch(batch, { size: 6, augment, rng: new Rng(3) });
    expect(Array.from(again.pixels)).toEqual(Array.from(out.pixels));
  });
});

import { describe, expect, test } from 'vitest';
import sharp from 'sharp';
import { encodeThumbnail } from '../../src/services/thumbnail/edge.js';

const png = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: '#c00' } })
    .png()
    .toBuffer();

describe('thumbnails at the edge', () => {
  test('an image that is what its extension says is served as stored, with its type', async () => {
    const image = await png();
    const thumb = await encodeThumbnail(image, 'png', 'sample a of shard s');
    expect(thumb.contentType).toBe('image/png');
    expect(Buffer.from(thumb.body).equals(image)).toBe(true);
    const webp = await sharp(image).webp().toBuffer();
    expect((await encodeThumbnail(webp, 'webp', 'b')).contentType).toBe('image/webp');
  });

  test('other bytes under an image extension are a 422 naming the sample', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    await expect(encodeThumbnail(html, 'jpg', 'sample k of shard s')).rejects.toMatchObject({
      status: 422,
      message: 'sample k of shard s: its .jpg image is not a jpg file',
    });
    await expect(encodeThumbnail(await png(), 'jpg', 'k')).rejects.toMatchObject({ status: 422 });
  });

  test('an image over the size cap is refused', async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(3 << 20)]);
    await expect(encodeThumbnail(big, 'jpg', 'k')).rejects.toMatchObject({
      status: 422,
      slug: 'image-too-large',
    });
  });
});

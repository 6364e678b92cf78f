// Thumbnails on Node (the `#thumbnail` default): the sample's image decoded and re-encoded as a
// small WebP by sharp, so what is served is never the stored bytes as they are.
import type { ImageExt } from '@curio/webdataset';
import sharp from 'sharp';
import { unprocessable } from '../../http/problem.js';
import type { Thumbnail } from './thumbnail.js';

export type { Thumbnail } from './thumbnail.js';

/** The longest side of a thumbnail, in pixels. */
const THUMBNAIL_SIZE = 160;
/** Larger images are refused rather than decoded (decompression bombs). */
const MAX_INPUT_PIXELS = 40_000_000;

/** `image` (a `.ext` member of `sample`) as a WebP thumbnail; 422 naming the sample if undecodable. */
export async function encodeThumbnail(
  image: Buffer,
  ext: ImageExt,
  sample: string,
): Promise<Thumbnail> {
  try {
    const body = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return { body, contentType: 'image/webp' };
  } catch (error) {
    throw unprocessable(
      'image-undecodable',
      `${sample}: its .${ext} image cannot be decoded (${(error as Error).message})`,
    );
  }
}

// Thumbnails at the edge (the `#thumbnail` `workerd` condition): Workers have no image codec, so
// the sample's image is served as stored — only when its first bytes are the JPEG, PNG or WebP
// signature its extension claims, and only up to MAX_BYTES; the route adds `nosniff`. Anything
// else is the same 422 the Node API gives an undecodable image.
import type { ImageExt } from '@curio/webdataset';
import { unprocessable } from '../../http/problem.js';
import type { Thumbnail } from './thumbnail.js';

export type { Thumbnail } from './thumbnail.js';

/** Larger images are not sent whole to a curation panel. */
const MAX_BYTES = 2 << 20;

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

const SIGNATURES: Record<
  ImageExt,
  { type: Thumbnail['contentType']; is: (b: Uint8Array) => boolean }
> = {
  jpg: { type: 'image/jpeg', is: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  png: { type: 'image/png', is: (b) => ascii(b, 1, 4) === 'PNG' && b[0] === 0x89 },
  webp: { type: 'image/webp', is: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
};

/** `image` (a `.ext` member of `sample`) as stored, if it is what its extension says. */
export async function encodeThumbnail(
  image: Uint8Array,
  ext: ImageExt,
  sample: string,
): Promise<Thumbnail> {
  const signature = SIGNATURES[ext];
  if (!signature.is(image))
    throw unprocessable('image-undecodable', `${sample}: its .${ext} image is not a ${ext} file`);
  if (image.byteLength > MAX_BYTES)
    throw unprocessable(
      'image-too-large',
      `${sample}: its image (${image.byteLength} bytes) is over the edge's ${MAX_BYTES} bytes`,
    );
  return { body: image, contentType: signature.type };
}

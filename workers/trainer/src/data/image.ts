// Image decoding for training and eval: encoded bytes → normalised Float32 HWC RGB, with
// random-resized-crop and horizontal-flip augmentation, via sharp (libvips, on its own threads).
// Augmentation parameters are drawn from the Rng before any decoding starts, so a batch decoded
// concurrently is still deterministic for a given seed.
import sharp from 'sharp';
import type { Rng } from '@curio/random';
import { recordProblem, type DataStats } from '@curio/webdataset';

/** OpenAI CLIP's per-channel normalisation (RGB, on values in [0, 1]). */
export const CLIP_MEAN: readonly [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_STD: readonly [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

export interface AugmentOptions {
  /** Crop a random area in [minScale, 1] of the image with aspect ratio in [3/4, 4/3], then resize. */
  randomResizedCrop: boolean;
  minScale: number;
  /** Mirror left-right with probability 1/2. */
  flip: boolean;
}

export interface DecodeImageOptions {
  /** Output side in pixels (the output is size × size × 3). */
  size: number;
  /** Training augmentation; without it the image is resized (shorter side) and centre-cropped. */
  augment?: AugmentOptions;
  /** Required when `augment` is given. */
  rng?: Rng;
  /** Undecodable images are counted here. */
  stats?: DataStats;
  /** Names the image in problem messages (e.g. a sample id). */
  label?: string;
}

/** The random draws of one image's augmentation, taken before decoding. */
export interface AugmentDraw {
  /** Whether to take a random resized crop (else: resize the shorter side and centre-crop). */
  crop: boolean;
  area: number;
  logRatio: number;
  u: number;
  v: number;
  flip: boolean;
}

const LOG_RATIO_MIN = Math.log(3 / 4);
const LOG_RATIO_MAX = Math.log(4 / 3);

/** Draw one image's augmentation (always the same number of draws for the same options). */
export function drawAugmentation(rng: Rng, augment: AugmentOptions): AugmentDraw {
  const draw: AugmentDraw = {
    crop: augment.randomResizedCrop,
    area: 1,
    logRatio: 0,
    u: 0.5,
    v: 0.5,
    flip: false,
  };
  if (augment.randomResizedCrop) {
    draw.area = rng.uniform(augment.minScale, 1);
    draw.logRatio = rng.uniform(LOG_RATIO_MIN, LOG_RATIO_MAX);
    draw.u = rng.next();
    draw.v = rng.next();
  }
  if (augment.flip) draw.flip = rng.next() < 0.5;
  return draw;
}

/** The crop rectangle for an image of width × height under a draw (clamped to the image). */
export function cropBox(width: number, height: number, draw: AugmentDraw) {
  const area = width * height * draw.area;
  const ratio = Math.exp(draw.logRatio);
  const w = Math.max(1, Math.min(width, Math.round(Math.sqrt(area * ratio))));
  const h = Math.max(1, Math.min(height, Math.round(Math.sqrt(area / ratio))));
  const left = Math.min(width - w, Math.floor(draw.u * (width - w + 1)));
  const top = Math.min(height - h, Math.floor(draw.v * (height - h + 1)));
  return { left, top, width: w, height: h };
}

function validateOptions(opts: DecodeImageOptions): void {
  if (!Number.isInteger(opts.size) || opts.size <= 0) {
    throw new Error(`decodeImage: size must be a positive integer, got ${opts.size}`);
  }
  if (opts.augment) {
    if (!opts.rng) throw new Error('decodeImage: augment needs an rng');
    const { minScale } = opts.augment;
    if (!(minScale > 0 && minScale <= 1)) {
      throw new Error(`decodeImage: augment.minScale must be in (0, 1], got ${minScale}`);
    }
  }
}

/** Normalise 8-bit RGB into `out` at `offset` with CLIP mean/std. */
function normaliseInto(rgb: Uint8Array, out: Float32Array, offset: number): void {
  const scale = [0, 1, 2].map((c) => 1 / (255 * (CLIP_STD[c] as number)));
  const shift = [0, 1, 2].map((c) => (CLIP_MEAN[c] as number) / (CLIP_STD[c] as number));
  for (let i = 0; i < rgb.length; i += 3) {
    out[offset + i] = (rgb[i] as number) * scale[0]! - shift[0]!;
    out[offset + i + 1] = (rgb[i + 1] as number) * scale[1]! - shift[1]!;
    out[offset + i + 2] = (rgb[i + 2] as number) * scale[2]! - shift[2]!;
  }
}

/** Decode to size × size 8-bit RGB, applying a draw (or a centre crop when there is none). */
async function decodeRgb(
  bytes: Uint8Array,
  size: number,
  draw: AugmentDraw | null,
): Promise<Buffer> {
  let pipeline = sharp(bytes, { failOn: 'error' });
  if (draw?.crop) {
    const meta = await sharp(bytes, { failOn: 'error' }).metadata();
    if (!meta.width || !meta.height) throw new Error('image has no dimensions');
    pipeline = pipeline
      .extract(cropBox(meta.width, meta.height, draw))
      .resize(size, size, { fit: 'fill' });
  } else {
    pipeline = pipeline.resize(size, size, { fit: 'cover', position: 'centre' });
  }
  if (draw?.flip) pipeline = pipeline.flop();
  const { data, info } = await pipeline
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== size || info.height !== size) {
    throw new Error(
      `decoded to ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3`,
    );
  }
  return data;
}

async function decodeWithDraw(
  bytes: Uint8Array,
  opts: DecodeImageOptions,
  draw: AugmentDraw | null,
  out: Float32Array,
  offset: number,
): Promise<boolean> {
  try {
    normaliseInto(await decodeRgb(bytes, opts.size, draw), out, offset);
    return true;
  } catch (err) {
    if (opts.stats) {
      recordProblem(
        opts.stats,
        'undecodableImage',
        `${opts.label ?? 'image'}: ${(err as Error).message}`,
      );
    }
    return false;
  }
}

/**
 * Decode one image to a normalised Float32Array (size × size × 3, HWC, RGB). Returns null (and
 * counts it in `stats`) when the bytes are not a decodable image.
 */
export async function decodeImage(
  bytes: Uint8Array,
  opts: DecodeImageOptions,
): Promise<Float32Array | null> {
  validateOptions(opts);
  const draw = opts.augment ? drawAugmentation(opts.rng as Rng, opts.augment) : null;
  const out = new Float32Array(opts.size * opts.size * 3);
  return (await decodeWithDraw(bytes, opts, draw, out, 0)) ? out : null;
}

export type DecodableImage = Uint8Array | { imageBytes: Uint8Array; id?: string };

export interface DecodedBatch {
  /** [kept.length, size, size, 3], normalised. */
  pixels: Float32Array;
  shape: [number, number, number, number];
  /** Indices (into the input) of the images decoded, in order; the others were undecodable. */
  kept: number[];
}

/**
 * Decode a batch concurrently (sharp works on its own thread pool) into one Float32Array
 * [B, size, size, 3]. Undecodable images are counted and left out; `kept` says which remain.
 */
export async function decodeBatch(
  images: readonly DecodableImage[],
  opts: Omit<DecodeImageOptions, 'label'> & { concurrency?: number },
): Promise<DecodedBatch> {
  validateOptions(opts);
  const { size } = opts;
  const stride = size * size * 3;
  const draws = images.map(() =>
    opts.augment ? drawAugmentation(opts.rng as Rng, opts.augment) : null,
  );
  const staging = new Float32Array(images.length * stride);
  const ok = new Array<boolean>(images.length).fill(false);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < images.length) {
      const i = next++;
      const item = images[i] as DecodableImage;
      const bytes = item instanceof Uint8Array ? item : item.imageBytes;
      const label =
        item instanceof Uint8Array ? `batch image ${i}` : (item.id ?? `batch image ${i}`);
      ok[i] = await decodeWithDraw(
        bytes,
        { ...opts, label },
        draws[i] ?? null,
        staging,
        i * stride,
      );
    }
  };
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, worker));
  const kept = ok.flatMap((good, i) => (good ? [i] : []));
  const pixels = kept.length === images.length ? staging : new Float32Array(kept.length * stride);
  if (pixels !== staging)
    kept.forEach((src, dst) =>
      pixels.set(staging.subarray(src * stride, (src + 1) * stride), dst * stride),
    );
  return { pixels, shape: [kept.length, size, size, 3], kept };
}

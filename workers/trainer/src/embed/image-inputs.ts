// The images a user points `embed` and `classify` at: image files, folders (their image files
// and .tar shards, recursively, sorted) and WebDataset shards (paths, globs, file:// or http(s)://
// URLs). Each image comes with a label saying where it came from (the path, or `shard#key`);
// `decodedImages` hands them on decoded, a batch at a time, so memory stays bounded.
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { createDataStats, readWebDataset, resolveShards, type DataStats } from '@curio/webdataset';
import { decodeBatch } from '../data/index.js';

const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

export interface ImageInput {
  label: string;
  bytes: Uint8Array;
}

const isImageFile = (path: string) => IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
const isShardFile = (path: string) => extname(path).toLowerCase() === '.tar';

/** Image files and shards under a folder, recursively, in sorted order. */
async function folderEntries(dir: string): Promise<string[]> {
  const out: string[] = [];
  const names = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const e of names) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await folderEntries(p)));
    else if (e.isFile() && (isImageFile(p) || isShardFile(p))) out.push(p);
  }
  return out;
}

/** The files one location stands for: itself, a folder's images and shards, or shards. */
async function expand(location: string): Promise<string[]> {
  const info = /^[a-z][a-z0-9+.-]+:\/\//i.test(location)
    ? null
    : await stat(resolve(location)).catch(() => null);
  if (info?.isDirectory()) {
    const files = await folderEntries(resolve(location));
    if (files.length === 0)
      throw new Error(
        `${location} holds no images (${IMAGE_EXTENSIONS.join(', ')}) and no .tar shards`,
      );
    return files;
  }
  if (info?.isFile()) {
    if (isImageFile(location) || isShardFile(location)) return [resolve(location)];
    throw new Error(
      `${location} is neither an image (${IMAGE_EXTENSIONS.join(', ')}) nor a .tar shard`,
    );
  }
  return resolveShards([location]); // globs and URLs; names the location when it matches nothing
}

/** Every image of the locations, in order; undecodable shard members are counted in `stats`. */
export async function* readImageInputs(
  locations: readonly string[],
  stats: DataStats,
): AsyncGenerator<ImageInput> {
  if (locations.length === 0) throw new Error('no images given');
  for (const location of locations) {
    for (const file of await expand(location)) {
      if (isImageFile(file) && !/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) {
        yield { label: file, bytes: new Uint8Array(await readFile(file)) };
        continue;
      }
      for await (const s of readWebDataset(file, stats, {
        requireImage: true,
        requireCaption: false,
      }))
        yield { label: `${file}#${s.key}`, bytes: s.image as Buffer };
    }
  }
}

export interface DecodedImages {
  labels: string[];
  /** [labels.length, size, size, 3], CLIP-normalised. */
  pixels: Float32Array;
}

/**
 * The decodable images of the locations, `batchSize` at a time. Undecodable ones are skipped
 * and listed at the end; none decodable at all is an error naming the locations.
 */
export async function* decodedImages(
  locations: readonly string[],
  size: number,
  batchSize = 256,
): AsyncGenerator<DecodedImages> {
  const stats = createDataStats();
  let batch: ImageInput[] = [];
  let decodedCount = 0;
  const decode = async (inputs: ImageInput[]): Promise<DecodedImages> => {
    const images = inputs.map((i) => ({ imageBytes: i.bytes, id: i.label }));
    const decoded = await decodeBatch(images, { size, stats });
    decodedCount += decoded.kept.length;
    return { labels: decoded.kept.map((k) => inputs[k]!.label), pixels: decoded.pixels };
  };
  for await (const input of readImageInputs(locations, stats)) {
    batch.push(input);
    if (batch.length < batchSize) continue;
    const decoded = await decode(batch);
    if (decoded.labels.length > 0) yield decoded;
    batch = [];
  }
  const last = batch.length > 0 ? await decode(batch) : undefined;
  if (last && last.labels.length > 0) yield last;
  if (stats.examples.length > 0) console.error(`skipped:\n  ${stats.examples.join('\n  ')}`);
  if (decodedCount === 0) throw new Error(`no decodable image in ${locations.join(', ')}`);
}

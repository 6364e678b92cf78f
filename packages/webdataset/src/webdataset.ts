// WebDataset samples from tar shards: members sharing a key (the path up to the first dot of its
// file name) form one sample. img2dataset shards give KEY.jpg|png|webp, KEY.txt and KEY.json;
// samples missing their caption or image are counted in the stats and skipped.
import { shardLabel } from './shards.js';
import { recordProblem, type DataStats } from './stats.js';
import { readTarMembers } from './tar-members.js';

export type ImageExt = 'jpg' | 'png' | 'webp';

/** The members of one sample, by extension (lower case, without the leading dot). */
export interface SampleGroup {
  key: string;
  shard: string;
  files: Map<string, Buffer>;
}

export interface WdsSample {
  key: string;
  shard: string;
  caption?: string;
  image?: Buffer;
  imageExt?: ImageExt;
  json?: unknown;
}

const IMAGE_EXTS: Record<string, ImageExt> = { jpg: 'jpg', jpeg: 'jpg', png: 'png', webp: 'webp' };

/** Split a member path into its sample key and extension: "a/0001.seg.txt" → ["a/0001", "seg.txt"]. */
export function splitMemberName(name: string): { key: string; ext: string } {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  if (dot === -1) return { key: name, ext: '' };
  return { key: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() };
}

/**
 * Members of a shard grouped into samples. Members of one sample are consecutive in a
 * WebDataset tar; a group ends when the key changes. Counts every group in `stats.scanned`.
 */
export async function* readSampleGroups(
  shard: string,
  stats: DataStats,
  signal?: AbortSignal,
): AsyncGenerator<SampleGroup> {
  let current: SampleGroup | null = null;
  for await (const member of readTarMembers(shard, stats, signal)) {
    const { key, ext } = splitMemberName(member.name);
    if (current && current.key !== key) {
      stats.scanned += 1;
      yield current;
      current = null;
    }
    current ??= { key, shard, files: new Map() };
    current.files.set(ext, member.data);
  }
  if (current) {
    stats.scanned += 1;
    yield current;
  }
}

/** The image member of a group (the first of jpg/jpeg/png/webp found), if any. */
export function findImage(group: SampleGroup): { image: Buffer; imageExt: ImageExt } | undefined {
  for (const [ext, data] of group.files) {
    const imageExt = IMAGE_EXTS[ext];
    if (imageExt) return { image: data, imageExt };
  }
  return undefined;
}

/** The caption of a group: its `.txt` as UTF-8, trimmed; undefined when absent or blank. */
export function findCaption(group: SampleGroup): string | undefined {
  const txt = group.files.get('txt');
  if (!txt) return undefined;
  const caption = txt.toString('utf8').trim();
  return caption === '' ? undefined : caption;
}

function parseJson(data: Buffer | undefined): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export interface ReadWebDatasetOptions {
  /** Skip (and count) samples without a caption. Default true. */
  requireCaption?: boolean;
  /** Skip (and count) samples without an image. Default true. */
  requireImage?: boolean;
  signal?: AbortSignal;
}

/**
 * Stream the image-text samples of one img2dataset shard without decoding images. Bad data
 * (unreadable shard, damaged tar, missing caption or image) is counted in `stats`, never thrown.
 */
export async function* readWebDataset(
  shard: string,
  stats: DataStats,
  options: ReadWebDatasetOptions = {},
): AsyncGenerator<WdsSample> {
  const { requireCaption = true, requireImage = true, signal } = options;
  const label = shardLabel(shard);
  for await (const group of readSampleGroups(shard, stats, signal)) {
    const caption = findCaption(group);
    const found = findImage(group);
    if (requireCaption && caption === undefined) {
      recordProblem(stats, 'missingCaption', `${label}#${group.key} has no caption (.txt)`);
      continue;
    }
    if (requireImage && !found) {
      recordProblem(stats, 'missingImage', `${label}#${group.key} has no image (.jpg/.png/.webp)`);
      continue;
    }
    const sample: WdsSample = { key: group.key, shard };
    if (caption !== undefined) sample.caption = caption;
    if (found) {
      sample.image = found.image;
      sample.imageExt = found.imageExt;
    }
    const json = parseJson(group.files.get('json'));
    if (json !== undefined) sample.json = json;
    stats.yielded += 1;
    yield sample;
  }
}

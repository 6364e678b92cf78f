// The synthetic data set: a seeded, deterministic image-text pool written as real img2dataset
// shards (KEY.png, KEY.txt, KEY.json), its metadata (class names) and a clip_benchmark eval set.
// The pool mixes on-target pairs (a class's shape, captioned), off-target web-like noise, and
// mismatched pairs (an on-target caption with the wrong image) at configurable fractions.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { writeTarShard, type TarEntry } from '@curio/webdataset';
import { Rng } from '@curio/random';
import {
  offTargetCaption,
  onTargetCaption,
  paraphrasedCaption,
  type ShapeTraits,
} from './captions.js';
import {
  classSynonyms,
  DEFAULT_CLASS_NAMES,
  parseClasses,
  type SyntheticClass,
} from './catalog.js';
import { renderOffTarget, renderOnTarget } from './images.js';
import { writeManifest, type SyntheticManifest } from './manifest.js';

export type SampleKind = 'on-target' | 'off-target' | 'mismatched';

export interface SyntheticDataOptions {
  outDir: string;
  seed: number;
  /** Pairs in the pool. */
  poolSize: number;
  /** Fraction of the pool that are correct on-target pairs. */
  onTargetFraction: number;
  /** Fraction of the pool with an on-target caption on the wrong image (default ¼ of onTargetFraction). */
  mismatchedFraction?: number;
  /**
   * Share of on-target captions (and of mismatched ones) that paraphrase the class without its
   * name or any synonym, so that lexical matching misses them (default 0).
   */
  paraphraseFraction?: number;
  /** Class names "<colour> <shape>" (default: 4 colours × 3 shapes). */
  classes?: readonly string[];
  /** Stored image side in pixels (default 48: room for a random resized crop to 32). */
  imageSize?: number;
  /** Pairs per pool shard (default 1000). */
  shardSize?: number;
  /** Eval images per class (default 20). */
  evalPerClass?: number;
  /** Images encoded at once (default 8). */
  concurrency?: number;
}

export interface SyntheticDataResult {
  outDir: string;
  poolDir: string;
  poolShards: string[];
  metadataFile: string;
  synonymsFile: string;
  evalDir: string;
  classes: string[];
  seed: number;
  onTargetFraction: number;
  paraphraseFraction: number;
  counts: {
    pool: number;
    onTarget: number;
    /** On-target pairs whose caption is a paraphrase (no class name or synonym). */
    paraphrased: number;
    offTarget: number;
    mismatched: number;
    eval: number;
    evalShards: number;
  };
}

export const EVAL_TEMPLATES = [
  'a photo of a {c}.',
  'a {c}.',
  'a drawing of a {c}.',
  'an icon of a {c}.',
  'a picture of the {c}.',
  'a simple {c} shape.',
];

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`generateSyntheticData: ${message}`);
}

async function encodePng(rgb: Uint8Array, size: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width: size, height: size, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface PoolPair {
  kind: SampleKind;
  caption: string;
  rgb: Uint8Array;
  meta: Record<string, unknown>;
}

/** An on-target caption, a paraphrase with probability `paraphrase`. */
function classCaption(
  rng: Rng,
  cls: SyntheticClass,
  traits: ShapeTraits,
  paraphrase: number,
): { caption: string; paraphrased: boolean } {
  // No draw when paraphrasing is off, so that pools without it stay byte-identical.
  const paraphrased = paraphrase > 0 && rng.next() < paraphrase;
  const caption = paraphrased
    ? paraphrasedCaption(rng, cls, traits)
    : onTargetCaption(rng, cls, traits);
  return { caption, paraphrased };
}

/**
 * One pool pair. Its json says what it is: `kind`, and for pairs with an on-target caption the
 * class it names, whether the caption describes the image (`aligned`) and whether it paraphrases.
 */
function makePoolPair(
  rng: Rng,
  kind: SampleKind,
  classes: readonly SyntheticClass[],
  size: number,
  paraphrase: number,
): PoolPair {
  if (kind === 'off-target') {
    const rgb = renderOffTarget(rng, size);
    return { kind, caption: offTargetCaption(rng, classes), rgb, meta: { kind, aligned: false } };
  }
  const captionClass = rng.pick(classes);
  if (kind === 'on-target') {
    const { rgb, traits } = renderOnTarget(rng, captionClass, size);
    const { caption, paraphrased } = classCaption(rng, captionClass, traits, paraphrase);
    return {
      kind,
      caption,
      rgb,
      meta: { kind, class: captionClass.name, aligned: true, paraphrased },
    };
  }
  // Mismatched: the caption describes one class; the image is another class or another domain.
  const otherClasses = classes.filter((c) => c !== captionClass);
  const imageClass = rng.next() < 0.5 ? rng.pick(otherClasses) : null;
  const drawn = imageClass ? renderOnTarget(rng, imageClass, size) : null;
  const rgb = drawn ? drawn.rgb : renderOffTarget(rng, size);
  const traits = drawn?.traits ?? {
    size: 'medium' as const,
    position: 'centre',
    background: 'white',
  };
  const { caption, paraphrased } = classCaption(rng, captionClass, traits, paraphrase);
  return {
    kind,
    caption,
    rgb,
    meta: {
      kind,
      class: captionClass.name,
      imageClass: imageClass?.name ?? null,
      aligned: false,
      paraphrased,
    },
  };
}

function poolKey(shard: number, index: number, width: number): string {
  return `${String(shard).padStart(5, '0')}${String(index).padStart(width, '0')}`;
}

/** Generate the pool, metadata and eval set under `outDir` (deterministic for a seed). */
export async function generateSyntheticData(
  options: SyntheticDataOptions,
): Promise<SyntheticDataResult> {
  const { outDir, seed, poolSize, onTargetFraction } = options;
  const imageSize = options.imageSize ?? 48;
  const shardSize = options.shardSize ?? 1000;
  const evalPerClass = options.evalPerClass ?? 20;
  const mismatchedFraction = options.mismatchedFraction ?? onTargetFraction / 4;
  const paraphraseFraction = options.paraphraseFraction ?? 0;
  const concurrency = options.concurrency ?? 8;
  check(typeof outDir === 'string' && outDir !== '', 'outDir must be a non-empty path');
  check(Number.isInteger(seed) && seed >= 0, `seed must be a non-negative integer, got ${seed}`);
  check(
    Number.isInteger(poolSize) && poolSize > 0,
    `poolSize must be a positive integer, got ${poolSize}`,
  );
  check(
    onTargetFraction >= 0 && onTargetFraction <= 1,
    `onTargetFraction must be in [0, 1], got ${onTargetFraction}`,
  );
  check(
    mismatchedFraction >= 0 && onTargetFraction + mismatchedFraction <= 1,
    `mismatchedFraction must be ≥ 0 and onTargetFraction + mismatchedFraction ≤ 1, got ${mismatchedFraction}`,
  );
  check(
    paraphraseFraction >= 0 && paraphraseFraction <= 1,
    `paraphraseFraction must be in [0, 1], got ${paraphraseFraction}`,
  );
  check(
    Number.isInteger(imageSize) && imageSize >= 16 && imageSize <= 512,
    `imageSize must be an integer in [16, 512], got ${imageSize}`,
  );
  check(
    Number.isInteger(shardSize) && shardSize > 0,
    `shardSize must be a positive integer, got ${shardSize}`,
  );
  check(
    Number.isInteger(evalPerClass) && evalPerClass > 0,
    `evalPerClass must be a positive integer, got ${evalPerClass}`,
  );
  const classes = parseClasses(options.classes ?? DEFAULT_CLASS_NAMES);

  const onTarget = Math.round(poolSize * onTargetFraction);
  const mismatched = Math.min(poolSize - onTarget, Math.round(poolSize * mismatchedFraction));
  const offTarget = poolSize - onTarget - mismatched;
  const kinds: SampleKind[] = [
    ...new Array<SampleKind>(onTarget).fill('on-target'),
    ...new Array<SampleKind>(mismatched).fill('mismatched'),
    ...new Array<SampleKind>(offTarget).fill('off-target'),
  ];
  Rng.derive(seed, 'kinds').shuffle(kinds);

  const poolDir = path.join(outDir, 'pool');
  const evalDir = path.join(outDir, 'eval');
  await mkdir(poolDir, { recursive: true });
  await mkdir(path.join(evalDir, 'test'), { recursive: true });

  const keyWidth = Math.max(4, String(shardSize - 1).length);
  const poolShards: string[] = [];
  let paraphrased = 0;
  for (let shard = 0; shard * shardSize < poolSize; shard++) {
    const indices = Array.from(
      { length: Math.min(shardSize, poolSize - shard * shardSize) },
      (_, i) => i,
    );
    const members = await mapLimited(indices, concurrency, async (i) => {
      const n = shard * shardSize + i;
      const pair = makePoolPair(
        Rng.derive(seed, 'pool', n),
        kinds[n] as SampleKind,
        classes,
        imageSize,
        paraphraseFraction,
      );
      if (pair.kind === 'on-target' && pair.meta.paraphrased === true) paraphrased++;
      const key = poolKey(shard, i, keyWidth);
      const json = {
        key,
        caption: pair.caption,
        width: imageSize,
        height: imageSize,
        status: 'success',
        ...pair.meta,
      };
      const entries: TarEntry[] = [
        { name: `${key}.png`, data: await encodePng(pair.rgb, imageSize) },
        { name: `${key}.txt`, data: pair.caption },
        { name: `${key}.json`, data: JSON.stringify(json) },
      ];
      return entries;
    });
    const file = path.join(poolDir, `${String(shard).padStart(5, '0')}.tar`);
    await writeTarShard(file, members.flat());
    poolShards.push(file);
  }

  // Eval set: evalPerClass images per class, classes interleaved, one shard.
  const evalIndices = Array.from({ length: classes.length * evalPerClass }, (_, i) => i);
  const evalMembers = await mapLimited(evalIndices, concurrency, async (n) => {
    const cls = n % classes.length;
    const rng = Rng.derive(seed, 'eval', n);
    const { rgb, traits } = renderOnTarget(rng, classes[cls] as SyntheticClass, imageSize);
    const key = `s${String(n).padStart(7, '0')}`;
    const entries: TarEntry[] = [
      { name: `${key}.png`, data: await encodePng(rgb, imageSize) },
      { name: `${key}.cls`, data: String(cls) },
      { name: `${key}.txt`, data: onTargetCaption(rng, classes[cls] as SyntheticClass, traits) },
    ];
    return entries;
  });
  await writeTarShard(path.join(evalDir, 'test', '0.tar'), evalMembers.flat());
  const classNames = classes.map((c) => c.name);
  await writeFile(path.join(evalDir, 'classnames.txt'), `${classNames.join('\n')}\n`);
  await writeFile(
    path.join(evalDir, 'zeroshot_classification_templates.txt'),
    `${EVAL_TEMPLATES.join('\n')}\n`,
  );

  const metadataFile = path.join(outDir, 'metadata.txt');
  await writeFile(metadataFile, `${classNames.join('\n')}\n`);
  const synonymsFile = path.join(outDir, 'synonyms.json');
  await writeFile(
    synonymsFile,
    `${JSON.stringify(Object.fromEntries(classes.map((c) => [c.name, classSynonyms(c)])), null, 2)}\n`,
  );

  const manifest: SyntheticManifest = {
    seed,
    onTargetFraction,
    paraphraseFraction,
    shards: poolShards.length,
    classes: classNames,
    counts: {
      pool: poolSize,
      onTarget,
      paraphrased,
      offTarget,
      mismatched,
      eval: evalIndices.length,
      evalShards: 1,
    },
  };
  return writeManifest(outDir, manifest);
}

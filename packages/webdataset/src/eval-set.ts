// Reader for clip_benchmark zero-shot classification sets in WebDataset layout: a folder (local,
// or in object storage: object-eval-set.ts) with classnames.txt (one class a line),
// zeroshot_classification_templates.txt (one template a line, `{c}` for the class name) and
// test/*.tar holding KEY.png|jpg|webp, KEY.cls and optional KEY.txt.
import { readFile, readdir, stat } from '#local-files';
import path from 'node:path';
import { currentDataAccess } from './data-access.js';
import { grantedRealPath } from './granted-shards.js';
import { isLocationUnavailable, LocationUnavailableError } from './location-error.js';
import { objectEvalSetLayout, readObjectText, signedTestShards } from './object-eval-set.js';
import { shardLabel } from './shards.js';
import { createDataStats, recordProblem, type DataStats } from './stats.js';
import { findCaption, findImage, readSampleGroups, type ImageExt } from './webdataset.js';

export interface EvalSample {
  key: string;
  image: Buffer;
  imageExt: ImageExt;
  /** Class index into `classnames`. */
  cls: number;
  caption?: string;
}

export interface EvalSet {
  dir: string;
  classnames: string[];
  templates: string[];
  shards: string[];
  /** Problems met while reading samples (skipped samples are counted, never thrown). */
  stats: DataStats;
  /** A fresh pass over the test shards each time it is iterated. */
  samples: AsyncIterable<EvalSample>;
}

export const CLASSNAMES_FILE = 'classnames.txt';
export const TEMPLATES_FILE = 'zeroshot_classification_templates.txt';
export const TEST_DIR = 'test';

/** `file` itself, or under a data access its real path once the grants allow it. */
async function granted(file: string, location: string): Promise<string> {
  const access = currentDataAccess();
  return access ? grantedRealPath(file, access, location) : file;
}

async function readLocalText(file: string, what: string): Promise<string> {
  try {
    return await readFile(await granted(file, file), 'utf8');
  } catch (err) {
    if (isLocationUnavailable(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `eval set: ${what} ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`,
    );
  }
}

/** A part read through its signed URL; a missing one reads as unavailable, naming the part, never the URL. */
async function readObjectPart(uri: string, what: string): Promise<string> {
  try {
    return await readObjectText(uri);
  } catch (err) {
    if (isLocationUnavailable(err)) throw new LocationUnavailableError(uri, err.reason);
    throw new Error(`eval set: ${what} ${uri} cannot be read (${(err as Error).message})`);
  }
}

function checkTemplates(file: string, templates: readonly string[]): void {
  templates.forEach((t, i) => {
    if (!t.includes('{c}'))
      throw new Error(`eval set: ${file} line ${i + 1} ("${t}") has no {c} placeholder`);
  });
}

function linesOf(text: string, file: string, what: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new Error(`eval set: ${what} ${file} is empty`);
  return lines;
}

/**
 * Read an eval set's class names and templates now; its samples stream when iterated. A local
 * folder: under a data access (`withDataAccess`) the folder and every file in it must be granted
 * (symlinks resolved). An `s3://` location (object-eval-set.ts): read only under a data access,
 * through the URLs the API signed, and only inside the team's object grants.
 */
export async function readEvalSet(location: string): Promise<EvalSet> {
  return /^s3:/i.test(location) ? readObjectEvalSet(location) : readLocalEvalSet(location);
}

async function readLocalEvalSet(dir: string): Promise<EvalSet> {
  const root = await granted(path.resolve(dir), dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`eval set: ${root} is not a directory`);
  const classnamesFile = path.join(root, CLASSNAMES_FILE);
  const templatesFile = path.join(root, TEMPLATES_FILE);
  const classnames = linesOf(
    await readLocalText(classnamesFile, 'class names file'),
    classnamesFile,
    'class names file',
  );
  const templates = linesOf(
    await readLocalText(templatesFile, 'templates file'),
    templatesFile,
    'templates file',
  );
  checkTemplates(templatesFile, templates);
  const testDir = path.join(root, TEST_DIR);
  const names = await readdir(await granted(testDir, testDir)).catch(() => {
    throw new Error(`eval set: test shard folder ${testDir} does not exist`);
  });
  const shards = names
    .filter((n) => n.endsWith('.tar'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => path.join(testDir, n));
  return assemble(root, classnames, templates, shards, testDir);
}

async function readObjectEvalSet(location: string): Promise<EvalSet> {
  if (!currentDataAccess())
    throw new Error(`eval set ${location}: s3:// eval sets are read only in a run the API assigns`);
  const layout = objectEvalSetLayout(location);
  const read = async (uri: string, what: string) =>
    linesOf(await readObjectPart(uri, what), uri, what);
  const classnames = await read(layout.classnames, 'class names file');
  const templates = await read(layout.templates, 'templates file');
  checkTemplates(layout.templates, templates);
  return assemble(layout.dir, classnames, templates, signedTestShards(layout), layout.testShards);
}

function assemble(
  dir: string,
  classnames: string[],
  templates: string[],
  shards: string[],
  testShards: string,
): EvalSet {
  if (shards.length === 0) throw new Error(`eval set: ${testShards} holds no .tar shards`);
  const stats = createDataStats();
  const samples: AsyncIterable<EvalSample> = {
    [Symbol.asyncIterator]: () => readEvalSamples(shards, classnames.length, stats),
  };
  return { dir, classnames, templates, shards, stats, samples };
}

async function* readEvalSamples(
  shards: readonly string[],
  numClasses: number,
  stats: DataStats,
): AsyncGenerator<EvalSample> {
  for (const shard of shards) {
    const label = shardLabel(shard);
    for await (const group of readSampleGroups(shard, stats)) {
      const found = findImage(group);
      if (!found) {
        recordProblem(
          stats,
          'missingImage',
          `${label}#${group.key} has no image (.png/.jpg/.webp)`,
        );
        continue;
      }
      const clsText = group.files.get('cls')?.toString('utf8').trim();
      const cls = clsText !== undefined && /^\d+$/.test(clsText) ? Number(clsText) : NaN;
      if (!(cls >= 0 && cls < numClasses)) {
        const why =
          clsText === undefined
            ? 'has no .cls'
            : `has class "${clsText}", not an index below ${numClasses}`;
        recordProblem(stats, 'missingLabel', `${label}#${group.key} ${why}`);
        continue;
      }
      const sample: EvalSample = {
        key: group.key,
        image: found.image,
        imageExt: found.imageExt,
        cls,
      };
      const caption = findCaption(group);
      if (caption !== undefined) sample.caption = caption;
      stats.yielded += 1;
      yield sample;
    }
  }
}

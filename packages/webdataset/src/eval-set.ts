// Reader for clip_benchmark zero-shot classification sets in WebDataset layout: a folder with
// classnames.txt (one class a line), zeroshot_classification_templates.txt (one template a line,
// `{c}` for the class name) and test/*.tar holding KEY.png|jpg|webp, KEY.cls and optional KEY.txt.
import { readFile, readdir, stat } from '#local-files';
import path from 'node:path';
import { currentDataAccess } from './data-access.js';
import { grantedRealPath } from './granted-shards.js';
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

async function readLines(file: string, what: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(await granted(file, file), 'utf8');
  } catch (err) {
    if (err instanceof Error && err.name === 'LocationUnavailableError') throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `eval set: ${what} ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`,
    );
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new Error(`eval set: ${what} ${file} is empty`);
  return lines;
}

/**
 * Read an eval set's class names and templates now; its samples stream when iterated. Under a data
 * access (`withDataAccess`) the folder and every file in it must be granted (symlinks resolved).
 */
export async function readEvalSet(dir: string): Promise<EvalSet> {
  const root = await granted(path.resolve(dir), dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`eval set: ${root} is not a directory`);
  const classnames = await readLines(path.join(root, CLASSNAMES_FILE), 'class names file');
  const templatesFile = path.join(root, TEMPLATES_FILE);
  const templates = await readLines(templatesFile, 'templates file');
  templates.forEach((t, i) => {
    if (!t.includes('{c}'))
      throw new Error(`eval set: ${templatesFile} line ${i + 1} ("${t}") has no {c} placeholder`);
  });
  const testDir = path.join(root, TEST_DIR);
  const names = await readdir(await granted(testDir, testDir)).catch(() => {
    throw new Error(`eval set: test shard folder ${testDir} does not exist`);
  });
  const shards = names
    .filter((n) => n.endsWith('.tar'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => path.join(testDir, n));
  if (shards.length === 0) throw new Error(`eval set: ${testDir} holds no .tar shards`);
  const stats = createDataStats();
  const samples: AsyncIterable<EvalSample> = {
    [Symbol.asyncIterator]: () => readEvalSamples(shards, classnames.length, stats),
  };
  return { dir: root, classnames, templates, shards, stats, samples };
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

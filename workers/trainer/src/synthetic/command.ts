// `curio-train synth`: write a synthetic pool, its metadata, an eval set and a ready CiT spec.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunSpecInput } from '@curio/contracts';
import { generateSyntheticData } from '@curio/synthetic';

function numberOption(
  name: string,
  value: string,
  check: (n: number) => boolean,
  what: string,
): number {
  const n = Number(value);
  if (!check(n)) throw new Error(`--${name} must be ${what}, got ${value}`);
  return n;
}

export async function runSynthCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      'pool-size': { type: 'string', default: '20000' },
      'on-target': { type: 'string', default: '0.05' },
      seed: { type: 'string', default: '0' },
      'eval-per-class': { type: 'string', default: '20' },
    },
  });
  if (!values.out) throw new Error('synth needs --out DIR');
  const outDir = resolve(values.out);
  const started = performance.now();
  const result = await generateSyntheticData({
    outDir,
    seed: numberOption(
      'seed',
      values.seed,
      (n) => Number.isInteger(n) && n >= 0,
      'a non-negative integer',
    ),
    poolSize: numberOption(
      'pool-size',
      values['pool-size'],
      (n) => Number.isInteger(n) && n > 0,
      'a positive integer',
    ),
    onTargetFraction: numberOption(
      'on-target',
      values['on-target'],
      (n) => n > 0 && n <= 1,
      'in (0, 1]',
    ),
    evalPerClass: numberOption(
      'eval-per-class',
      values['eval-per-class'],
      (n) => Number.isInteger(n) && n > 0,
      'a positive integer',
    ),
  });
  const synonyms = JSON.parse(await readFile(result.synonymsFile, 'utf8')) as Record<
    string,
    string[]
  >;
  const spec = syntheticSpec(synonyms);
  await writeFile(join(outDir, 'run.json'), `${JSON.stringify(spec, null, 2)}\n`);
  const c = result.counts;
  console.log(
    `wrote ${c.pool} pairs (${c.onTarget} on-target, ${c.mismatched} mismatched, ${c.offTarget} off-target) in ${result.poolShards.length} shards, ` +
      `${result.classes.length} classes, an eval set of ${c.eval} images and run.json to ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}

/** A CiT run on the synthetic data, paths relative to the data folder. */
export function syntheticSpec(synonyms: Record<string, string[]>): RunSpecInput {
  return {
    name: 'synthetic-cit',
    seed: 0,
    pool: { sources: [{ name: 'synthetic-web', shards: ['pool'] }] },
    metadata: { file: 'metadata.txt', synonyms },
    evalSets: [{ name: 'synthetic-shapes', path: 'eval' }],
    model: { preset: 'tiny' },
    training: { batchSize: 128, lr: 4e-4, warmupSteps: 20 },
    curation: {
      mode: 'cit',
      interval: 50,
      maxScanPerRound: 50_000,
      pairFilter: 0.25,
      handover: 'never',
    },
    stop: { maxSteps: 1000, maxMinutes: 10, targetAccuracy: { top1: 0.9 } },
    eval: { everySteps: 50 },
    checkpoint: { everySteps: 100 },
  };
}

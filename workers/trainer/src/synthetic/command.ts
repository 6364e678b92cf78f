// `curio-train synth`: write a synthetic pool, its metadata, an eval set and a ready CiT spec.
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { requireOptions } from '../cli/program.js';
import type { RunSpecInput } from '@curio/contracts';
import { generateSyntheticData } from '@curio/synthetic';
import { fraction, nonNegativeInt, positiveInt, share } from '../cli/options.js';

interface SynthOptions {
  out: string;
  poolSize: number;
  onTarget: number;
  seed: number;
  evalPerClass: number;
  paraphrase: number;
}

export function synthCommand(): Command {
  const command = new Command('synth')
    .description('write a synthetic pool, metadata, an eval set and a ready CiT spec (run.json)')
    .option('--out <dir>', 'the data folder to write')
    .option('--pool-size <n>', 'pairs in the pool', positiveInt, 20000)
    .option('--on-target <f>', 'share of on-target pairs, in (0, 1]', fraction, 0.05)
    .option('--seed <s>', 'the generator seed', nonNegativeInt, 0)
    .option('--eval-per-class <n>', 'eval images per class', positiveInt, 20)
    .option(
      '--paraphrase <f>',
      'share of on-target captions that describe the class without its name or any synonym',
      share,
      0,
    )
    .action((options: SynthOptions) => runSynth(options));
  return requireOptions(command, 'out');
}

async function runSynth(options: SynthOptions): Promise<void> {
  const outDir = resolve(options.out);
  const started = performance.now();
  const result = await generateSyntheticData({
    outDir,
    seed: options.seed,
    poolSize: options.poolSize,
    onTargetFraction: options.onTarget,
    evalPerClass: options.evalPerClass,
    paraphraseFraction: options.paraphrase,
  });
  const synonyms = JSON.parse(await readFile(result.synonymsFile, 'utf8')) as Record<
    string,
    string[]
  >;
  const spec = syntheticSpec(synonyms);
  await writeFile(join(outDir, 'run.json'), `${JSON.stringify(spec, null, 2)}\n`);
  const c = result.counts;
  console.log(
    `wrote ${c.pool} pairs (${c.onTarget} on-target of which ${c.paraphrased} paraphrased, ${c.mismatched} mismatched, ${c.offTarget} off-target) in ${result.poolShards.length} shards, ` +
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
    // Training and curation on their defaults.
    stop: { maxSteps: 1000, maxMinutes: 10, targetAccuracy: { top1: 0.9 } },
    eval: { everySteps: 50 },
    checkpoint: { everySteps: 100 },
  };
}

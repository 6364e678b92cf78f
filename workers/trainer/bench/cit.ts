// npm run bench:cit [-- --pool-size N --on-target F --target 0.9 --max-minutes M --seed S
//                      --data DIR --arms a,b --none-max-minutes M]
// CiT with the lexical bootstrap, CiT as in the paper (bootstrap none) and no curation, on one
// synthetic pool with few on-target pairs and web-like captions: wall time and steps to a target
// zero-shot top-1, and the speed-up ratios. An arm that never reaches the target reports its
// time budget as a lower bound. Last line: one JSON object.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunSpecInput } from '@curio/contracts';
import { selectBackend } from '../src/backend/index.js';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { resolveConfig } from '../src/config.js';
import { runJob } from '../src/loop/job.js';
import { memoryReporter } from '../src/output/memory-reporter.js';
import { generateSyntheticData, readSyntheticData } from '@curio/synthetic';

const { values } = parseArgs({
  options: {
    'pool-size': { type: 'string', default: '200000' },
    'on-target': { type: 'string', default: '0.05' },
    target: { type: 'string', default: '0.9' },
    'max-minutes': { type: 'string', default: '10' },
    seed: { type: 'string', default: '0' },
    arms: { type: 'string', default: 'cit-lexical,cit-paper,none' },
    /** A folder written by `curio-train synth` to reuse instead of generating the pool anew. */
    data: { type: 'string' },
    /** The no-curation arm's own budget (default --max-minutes): it only needs to bound the ratio. */
    'none-max-minutes': { type: 'string' },
  },
});
const target = Number(values.target);
const maxMinutes = Number(values['max-minutes']);
const onTarget = Number(values['on-target']);
const noneMaxMinutes = Number(values['none-max-minutes'] ?? maxMinutes);

const backend = await selectBackend({ forced: process.env.CURIO_TF_BACKEND, log: console.log });
const data = values.data
  ? await readSyntheticData(values.data)
  : await generateSyntheticData({
      outDir: await mkdtemp(join(tmpdir(), 'curio-bench-cit-')),
      seed: Number(values.seed),
      poolSize: Number(values['pool-size']),
      onTargetFraction: onTarget,
    });
const synonyms = JSON.parse(await readFile(data.synonymsFile, 'utf8')) as Record<string, string[]>;
const share = data.counts.onTarget / data.counts.pool;
console.log(
  `pool: ${data.counts.pool} pairs, ${data.counts.onTarget} on-target (${(100 * share).toFixed(1)}%), ${data.classes.length} classes`,
);
if (share > 0.05)
  console.log(
    `note: ${(100 * share).toFixed(1)}% on-target is above the 5% the benchmark is defined for`,
  );

// Rounds of 50 steps, each scanning at most 50k captions, so a round's scan stays short. From the
// second round on, the pair filter drops the quarter of each round's pairs whose image and caption
// agree least (class names used as proper nouns, on-target captions on the wrong image).
const CIT = { mode: 'cit', interval: 50, maxScanPerRound: 50_000, pairFilter: 0.25 } as const;
const ARMS: Record<string, RunSpecInput['curation']> = {
  // The model's own picks stay out (handover: never): on this pool they are mostly off-target
  // (the kept on-target share fell from 92% to 51% in the round the model joined at 0.9).
  'cit-lexical': { ...CIT, bootstrap: 'lexical', handover: 'never' },
  'cit-paper': { ...CIT, bootstrap: 'none' },
  none: { mode: 'none' },
};

interface ArmResult {
  arm: string;
  reached: boolean;
  seconds: number;
  steps: number;
  finalTop1: number;
  bestTop1: number;
}

const results: ArmResult[] = [];
for (const arm of values.arms.split(',')) {
  const curation = ARMS[arm];
  if (!curation) throw new Error(`unknown arm ${arm} (expected ${Object.keys(ARMS).join(', ')})`);
  const spec: RunSpecInput = {
    name: `bench-${arm}`,
    seed: Number(values.seed),
    pool: { sources: [{ name: 'synthetic', shards: [data.poolDir] }] },
    metadata: { file: data.metadataFile, synonyms },
    evalSets: [{ name: 'shapes', path: data.evalDir }],
    model: { preset: 'tiny' },
    training: { batchSize: 128, lr: 4e-4, warmupSteps: 20 },
    curation,
    stop: {
      maxMinutes: arm === 'none' ? noneMaxMinutes : maxMinutes,
      targetAccuracy: { top1: target },
    },
    eval: { everySteps: 25 },
    checkpoint: { everySteps: 100_000 },
  };
  const out = await mkdtemp(join(tmpdir(), `curio-bench-${arm}-`));
  console.log(`\n${arm}:`);
  const reporter = memoryReporter({ echo: console.log });
  const config = await resolveConfig(spec, { outDir: out, baseDir: out });
  const summary = await runJob({
    config,
    store: new LocalBlobStore(out),
    reporter,
    backend: backend.name,
  });
  const evals = summary.evaluations;
  const hit = evals.find((e) => e.zeroShot.top1 >= target);
  results.push({
    arm,
    reached: hit !== undefined,
    seconds: +(hit?.elapsedSeconds ?? summary.elapsedSeconds).toFixed(1),
    steps: hit?.step ?? summary.steps,
    finalTop1: evals.at(-1)?.zeroShot.top1 ?? 0,
    bestTop1: Math.max(0, ...evals.map((e) => e.zeroShot.top1)),
  });
  console.log(JSON.stringify(results.at(-1)));
}

// A ratio is a measurement when both arms reached the target, a lower bound when only the CiT
// arm did (no curation ran out of budget first), and undefined when the CiT arm did not.
const none = results.find((r) => r.arm === 'none');
const ratios = Object.fromEntries(
  results
    .filter((r) => r.arm !== 'none' && none)
    .map((r) => {
      const n = none as ArmResult;
      if (!r.reached)
        return [
          `${r.arm}_speedup_vs_none`,
          { value: null, reason: `${r.arm} did not reach the target` },
        ];
      return [
        `${r.arm}_speedup_vs_none`,
        { value: +(n.seconds / r.seconds).toFixed(2), lowerBound: !n.reached },
      ];
    }),
);
console.log(
  JSON.stringify({
    bench: 'cit',
    backend: backend.name,
    target,
    maxMinutes,
    noneMaxMinutes,
    pool: data.counts,
    results,
    ratios,
  }),
);

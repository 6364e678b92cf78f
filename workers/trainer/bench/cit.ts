// npm run bench:cit [-- --pool-size N --on-target F --paraphrase F --target 0.9 --max-minutes M
//                      --seed S --stages plain,paraphrase --data DIR --paraphrase-data DIR
//                      --none-ratio R --none-max-minutes M]
// CiT on its defaults against no curation, and the handover against the lexical matcher alone,
// on synthetic pools with few on-target pairs and web-like captions:
//   plain: CiT (defaults), CiT as in the paper (bootstrap none), no curation. No curation runs
//     last, with a budget of at least `--none-ratio` × CiT's time to the target, so that a miss
//     still bounds the speed-up from below.
//   paraphrase: the same pool size with a share of on-target captions that name neither the class
//     nor a synonym: CiT (defaults) against CiT with `handover: never`, and how much of the
//     aligned on-target pairs the rounds keep, and how precisely. Arms `oracle` and
//     `oracle-named` (not run unless named) bound what any curation could gain there: no
//     curation on a pool of only the aligned on-target pairs (as many, as many paraphrased), or
//     of only the named ones, timed on the same eval set.
// Last line: one JSON object. `--arms` runs only the arms named (e.g. `cit,cit-lexical`).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSyntheticData, readSyntheticData } from '@curio/synthetic';
import { selectBackend } from '../src/backend/index.js';
import { runArm, speedup, type ArmResult } from './cit-arm.js';

const { values } = parseArgs({
  options: {
    'pool-size': { type: 'string', default: '200000' },
    'on-target': { type: 'string', default: '0.05' },
    paraphrase: { type: 'string', default: '0.5' },
    target: { type: 'string', default: '0.9' },
    'max-minutes': { type: 'string', default: '10' },
    /** Also stop every arm after this many steps (to compare arms by steps on a busy machine). */
    'max-steps': { type: 'string' },
    seed: { type: 'string', default: '0' },
    stages: { type: 'string', default: 'plain,paraphrase' },
    /** Also `oracle` and `oracle-named` (paraphrase stage), only when named here. */
    arms: { type: 'string', default: 'cit,cit-paper,none,cit-lexical' },
    /** Folders written by `curio-train synth` to reuse instead of generating the pools anew. */
    data: { type: 'string' },
    'paraphrase-data': { type: 'string' },
    /** No curation's budget: at least this multiple of CiT's time to the target… */
    'none-ratio': { type: 'string', default: '10.5' },
    /** …and at least this many minutes. */
    'none-max-minutes': { type: 'string', default: '10' },
  },
});
const target = Number(values.target);
const maxMinutes = Number(values['max-minutes']);
const seed = Number(values.seed);
const stages = values.stages.split(',');

const backend = await selectBackend({ forced: process.env.CURIO_TF_BACKEND, log: console.log });

async function pool(dir: string | undefined, paraphraseFraction: number) {
  const data = dir
    ? await readSyntheticData(dir)
    : await generateSyntheticData({
        outDir: await mkdtemp(join(tmpdir(), 'curio-bench-cit-')),
        seed,
        poolSize: Number(values['pool-size']),
        onTargetFraction: Number(values['on-target']),
        paraphraseFraction,
      });
  const c = data.counts;
  console.log(
    `pool: ${c.pool} pairs, ${c.onTarget} on-target (${((100 * c.onTarget) / c.pool).toFixed(1)}%, ${c.paraphrased} paraphrased), ${c.mismatched} swapped captions, ${data.classes.length} classes`,
  );
  return data;
}

async function arm(name: string, data: Awaited<ReturnType<typeof pool>>, minutes = maxMinutes) {
  console.log(`\n${name} (budget ${minutes.toFixed(1)} min):`);
  const r = await runArm({
    arm: name,
    data,
    seed,
    target,
    maxMinutes: minutes,
    ...(values['max-steps'] ? { maxSteps: Number(values['max-steps']) } : {}),
    backend: backend.name,
  });
  console.log(JSON.stringify(r));
  return r;
}

const out: Record<string, unknown> = { bench: 'cit', backend: backend.name, target };

const wanted = values.arms.split(',');
/** Runs the arm when wanted, else answers undefined. */
const maybe = (name: string, data: Awaited<ReturnType<typeof pool>>, minutes?: number) =>
  wanted.includes(name) ? arm(name, data, minutes) : Promise.resolve(undefined);
const ratio = (fast?: ArmResult, slow?: ArmResult) => (fast && slow ? speedup(fast, slow) : null);

if (stages.includes('plain')) {
  const data = await pool(values.data, 0);
  const cit = await maybe('cit', data);
  const paper = await maybe('cit-paper', data);
  const reached = [cit, paper].filter((r) => r?.reached).map((r) => r!.seconds / 60);
  const noneMinutes = Math.max(
    Number(values['none-max-minutes']),
    Number(values['none-ratio']) * Math.min(maxMinutes, ...reached),
  );
  const none = await maybe('none', data, noneMinutes);
  out.plain = {
    pool: data.counts,
    results: [cit, paper, none].filter(Boolean),
    ratios: { cit_vs_none: ratio(cit, none), cit_paper_vs_none: ratio(paper, none) },
  };
}

/** A pool of only `data`'s aligned on-target pairs (all of them, or only the named ones), with
 *  `data`'s eval set: what a curation that kept exactly those would train on. */
async function oraclePool(data: Awaited<ReturnType<typeof pool>>, named: boolean) {
  const c = data.counts;
  const oracle = await generateSyntheticData({
    outDir: await mkdtemp(join(tmpdir(), 'curio-bench-cit-oracle-')),
    seed,
    poolSize: named ? c.onTarget - c.paraphrased : c.onTarget,
    onTargetFraction: 1,
    mismatchedFraction: 0,
    paraphraseFraction: named ? 0 : data.paraphraseFraction,
    evalPerClass: 1,
  });
  return { ...oracle, evalDir: data.evalDir };
}

if (stages.includes('paraphrase')) {
  const data = await pool(values['paraphrase-data'], Number(values.paraphrase));
  const cit = await maybe('cit', data);
  const lexical = await maybe('cit-lexical', data);
  const oracle = wanted.includes('oracle')
    ? await arm('oracle', await oraclePool(data, false))
    : undefined;
  const named = wanted.includes('oracle-named')
    ? await arm('oracle-named', await oraclePool(data, true))
    : undefined;
  out.paraphrase = {
    pool: data.counts,
    results: [cit, lexical, oracle, named].filter(Boolean),
    ratios: {
      handover_vs_lexical: ratio(cit, lexical),
      oracle_vs_lexical: ratio(oracle, lexical),
      oracle_vs_oracle_named: ratio(oracle, named),
    },
  };
}

console.log(JSON.stringify(out));

// npm run bench:growth [-- --seeds 0,1,2 --stage-steps 70 --pairs-per-stage 1200 --batch 32
//                         (those two: one number, or one per stage: 1000,2000,4000)
//                         --proxy-steps 4 --operators addBlocks,addSharedBlocks --momentum 0.9
//                         --growth-budget 1 --towers image,text,both --arms growth ...]
// GrowCLIP (METHODS.md §3) on a synthetic pool that grows in three stages (new classes each
// stage, ./growth-data.ts). Three arms at equal total training FLOPs (3 × forward FLOPs × pairs,
// proxy training of every growth candidate included): a fixed small model, a fixed large model,
// and growth (the small model, grown at stages 2 and 3 by the trainer's growth search with PIM),
// whose budget per stage is --growth-budget times the fixed arms' (0.7: does growth match the
// better fixed arm with 30% fewer FLOPs?).
// Final zero-shot top-1 on an eval set covering every stage's classes, per seed, mean and
// spread; and each growth step's parent vs grown-child top-1 (knowledge kept). Last line: one
// JSON object.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  GROWTH_OPERATORS,
  parseRunSpec,
  type GrowthOperator,
  type RunSpec,
} from '@curio/contracts';
import { buildPoolIndex, captionStream, createDataStats, resolvePool } from '@curio/webdataset';
import { selectBackend } from '../src/backend/index.js';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { saveCheckpoint } from '../src/checkpoint/checkpoint.js';
import { evaluate, prepareEvalSet, type PreparedEvalSet } from '../src/eval/evaluate.js';
import { grownTrainables, type GrowthRunSpec } from '../src/growth/grow.js';
import { batchStep } from '../src/loop/batch-step.js';
import { feedCommon, poolFeed } from '../src/loop/data-feed.js';
import { createOptimizer, type Trainables } from '../src/loop/setup.js';
import { inheritedChild } from '../src/growth/search.js';
import {
  forwardFlops,
  ModelConfig,
  modelOfConfig,
  towerForwardGflops,
} from '../src/model/index.js';
import { lrAt } from '../src/optim/index.js';
import { trainBpe } from '../src/tokenizer/index.js';
import { growthBenchData, STAGE_CLASSES, type Stage } from './growth-data.js';
import { growthReport, type Arm, type ArmRun, type GrowthStepReport } from './growth-report.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2' },
    /** Steps of the small model per stage: sets every arm's FLOP budget per stage (one number,
     *  or one per stage: a pool that grows may bring more data, and more compute, each time). */
    'stage-steps': { type: 'string', default: '70' },
    /** New pairs at each stage: one number, or one per stage. */
    'pairs-per-stage': { type: 'string', default: '1200' },
    batch: { type: 'string', default: '32' },
    /** 1e-3 (the default until stop 21) held every arm near 18% top-1; see the README. */
    lr: { type: 'string', default: '4e-4' },
    'proxy-steps': { type: 'string', default: '4' },
    operators: { type: 'string', default: 'addBlocks,addSharedBlocks' },
    towers: { type: 'string', default: 'image,text' },
    momentum: { type: 'string', default: '0.9' },
    replay: { type: 'string', default: '0.3' },
    'max-scale': { type: 'string', default: '1' },
    /** New pairs per step of the candidate-space scale (growth.space.samplesPerScale). */
    'samples-per-scale': { type: 'string', default: '20000' },
    /** The arms to run (the others are left out of the report). */
    arms: { type: 'string', default: 'small,large,growth' },
    'small-width': { type: 'string', default: '64' },
    'small-depth': { type: 'string', default: '2' },
    'large-width': { type: 'string', default: '128' },
    'large-depth': { type: 'string', default: '4' },
    'eval-per-class': { type: 'string', default: '8' },
    /** The growth arm's FLOP budget per stage, as a share of the fixed arms'. */
    'growth-budget': { type: 'string', default: '1' },
  },
});
const num = (k: keyof typeof values) => Number(values[k]);
/** A per-stage setting: one number for every stage, or a comma-separated one per stage. */
function perStage(k: 'stage-steps' | 'pairs-per-stage'): number[] {
  const given = String(values[k]).split(',').map(Number);
  const xs = given.length === 1 ? STAGE_CLASSES.map(() => given[0]!) : given;
  if (xs.length !== STAGE_CLASSES.length || xs.some((x) => !(x > 0)))
    throw new Error(`--${k}: give one positive number or ${STAGE_CLASSES.length}, comma-separated`);
  return xs;
}
const pairsPerStage = perStage('pairs-per-stage');
const batchSize = num('batch');
const seeds = String(values.seeds).split(',').map(Number);
const operators = String(values.operators).split(',') as GrowthOperator[];
for (const op of operators)
  if (!GROWTH_OPERATORS.includes(op)) throw new Error(`unknown growth operator ${op}`);

const backend = await selectBackend({ forced: process.env.CURIO_TF_BACKEND, log: console.log });
const data = await growthBenchData({
  pairsPerStage,
  shardSize: 250,
  replay: num('replay'),
  seed: 0,
  evalPerClass: num('eval-per-class'),
});
const evalSet = await prepareEvalSet({ name: 'all-stages', path: data.evalDir }, 32);
console.log(
  `${data.stages.length} stages, ${data.allClasses.length} classes, eval ${evalSet.labels.length} images`,
);

async function stageCaptions(stage: Stage, count: number): Promise<string[]> {
  const out: string[] = [];
  const shards = await resolvePool([{ name: 'stage', shards: stage.newShards }]);
  for await (const s of captionStream(shards, { stats: createDataStats() })) {
    out.push(s.caption);
    if (out.length >= count) break;
  }
  return out;
}
const tokenizer = trainBpe(await stageCaptions(data.stages[0]!, 5000), { vocabSize: 1024 });

const tower = (width: number, depth: number) => ({ width, depth, heads: width / 32, mlpRatio: 4 });
const architecture = (name: string, width: number, depth: number) =>
  ModelConfig.parse({
    name,
    embedDim: 64,
    image: { size: 32, patch: 4, pool: 'cls', ...tower(width, depth) },
    text: { context: 24, vocab: tokenizer.vocabSize, ...tower(width, depth) },
  });
const SMALL = architecture('bench-small', num('small-width'), num('small-depth'));
const LARGE = architecture('bench-large', num('large-width'), num('large-depth'));
const stepFlops = (c: ModelConfig) => 3 * forwardFlops(c) * batchSize;
const stageBudgets = perStage('stage-steps').map((steps) => steps * stepFlops(SMALL));

function stageSpec(stageIndex: number, seed: number, parent: string): RunSpec {
  const stage = data.stages[stageIndex]!;
  return parseRunSpec({
    name: 'bench-growth',
    seed,
    pool: { sources: [{ name: 'stage', shards: stage.shards }] },
    metadata: { names: stage.classes },
    training: { batchSize, lr: num('lr'), warmupSteps: 10, sampling: 'mixed' },
    curation: { mode: 'none' },
    stop: { maxSteps: 1 },
    growth: {
      parent,
      operators,
      towers: String(values.towers).split(','),
      proxy: { steps: num('proxy-steps') },
      momentum: num('momentum'),
      heldOut: 128,
      replay: num('replay'),
      newSamples: pairsPerStage[stageIndex],
      space: { maxScale: num('max-scale'), samplesPerScale: num('samples-per-scale') },
    },
    data: { prefetchBatches: 2 },
  });
}

/** Trains `t` on the stage's pool for as many steps as `flops` allows (warmup, then cosine). */
async function trainStage(t: Trainables, spec: RunSpec, flops: number) {
  const steps = Math.max(0, Math.floor(flops / stepFlops(t.model.config)));
  const stats = createDataStats();
  const index = await buildPoolIndex(await resolvePool(spec.pool.sources), { stats });
  const feed = poolFeed(index, feedCommon(spec, 32, stats));
  const schedule = {
    baseLr: spec.training.lr,
    warmupSteps: Math.min(10, steps),
    totalSteps: steps,
  };
  try {
    for (let step = 0; step < steps; step++)
      batchStep(t, await feed.next(step), spec, step, lrAt(step, schedule));
  } finally {
    await feed.close();
  }
  return steps * stepFlops(t.model.config);
}

/** The growth search from `t` (saved as a checkpoint first): the chosen child and its cost. */
async function grow(t: Trainables, seed: number, stageIndex: number) {
  const dir = await mkdtemp(join(tmpdir(), 'curio-bench-growth-parent-'));
  const spec = stageSpec(stageIndex, seed, dir);
  await saveCheckpoint(new LocalBlobStore(dir), {
    state: {
      step: stageIndex,
      spec,
      modelConfig: t.model.config,
      optimizerStep: t.optimizer.step,
      data: { mode: 'offline', keptIds: [] },
      elapsedSeconds: 0,
      savedAt: new Date().toISOString(),
    },
    weights: new Map([...t.model.variables()].map(([k, v]) => [k, v.dataSync() as Float32Array])),
    optimizer: t.optimizer.exportState().tensors,
    tokenizer: tokenizer.toJSON(),
  });
  const { trainables, growth } = await grownTrainables(
    spec as GrowthRunSpec,
    await resolvePool(spec.pool.sources),
    createDataStats(),
    undefined,
    () => {},
  );
  // The chosen child as inheritance and PIM make it, before any proxy training.
  const chosen = growth.candidates[growth.chosen]!;
  const config = ModelConfig.parse(chosen.architecture);
  const atInheritance = inheritedChild(
    { ...chosen, config, forwardGflops: towerForwardGflops(config) },
    spec as GrowthRunSpec,
    {
      ...t,
      optimizer: t.optimizer.exportState(),
    },
  );
  const inheritedTop1 = await top1({ ...atInheritance, tokenizer }, evalSet);
  atInheritance.model.dispose();
  atInheritance.optimizer.dispose();
  const proxyFlops = growth.candidates.reduce(
    (n, c) => n + c.proxySteps * 3 * c.gflopsPerSample * 1e9 * batchSize,
    0,
  );
  return { trainables, growth, proxyFlops, inheritedTop1 };
}

const top1 = async (t: Trainables, set: PreparedEvalSet) =>
  (await evaluate(t.model, t.tokenizer, set)).zeroShot.top1;

const runs: ArmRun[] = [];
const growthSteps: GrowthStepReport[] = [];

async function runArm(arm: Arm, seed: number): Promise<void> {
  const started = performance.now();
  const config = arm === 'large' ? LARGE : SMALL;
  const first = stageSpec(0, seed, 'unused');
  const model = modelOfConfig(config, first.model, seed);
  let t: Trainables = { model, tokenizer, optimizer: createOptimizer(model, first) };
  let flops = 0;
  for (let i = 0; i < data.stages.length; i++) {
    const spec = stageSpec(i, seed, 'unused');
    let budget = (arm === 'growth' ? num('growth-budget') : 1) * stageBudgets[i]!;
    if (arm === 'growth' && i > 0) {
      const parentTop1 = await top1(t, evalSet);
      const g = await grow(t, seed, i);
      t.model.dispose();
      t.optimizer.dispose();
      t = g.trainables;
      budget -= g.proxyFlops;
      flops += g.proxyFlops;
      const chosen = g.growth.candidates[g.growth.chosen]!;
      growthSteps.push({
        seed,
        stage: i + 1,
        chosen: chosen.name,
        candidates: g.growth.candidates.map((c) => ({
          name: c.name,
          score: +c.score.toFixed(4),
          gflopsPerSample: +c.gflopsPerSample.toFixed(5),
        })),
        parentTop1,
        childInheritedTop1: g.inheritedTop1,
        childAfterSearchTop1: await top1(t, evalSet),
      });
      console.log(
        `  seed ${seed} stage ${i + 1}: grew to ${chosen.name} (${JSON.stringify(growthSteps.at(-1))})`,
      );
    }
    flops += await trainStage(t, spec, budget);
    console.log(
      `  ${arm} seed ${seed} stage ${i + 1}: top-1 ${(100 * (await top1(t, evalSet))).toFixed(1)}%`,
    );
  }
  runs.push({
    arm,
    seed,
    top1: await top1(t, evalSet),
    flops,
    seconds: (performance.now() - started) / 1000,
    finalArchitecture: t.model.config.name,
  });
  console.log(JSON.stringify(runs.at(-1)));
  t.model.dispose();
  t.optimizer.dispose();
}

const arms = String(values.arms).split(',') as Arm[];
for (const seed of seeds) for (const arm of arms) await runArm(arm, seed);

console.log(
  JSON.stringify({
    bench: 'growth',
    backend: backend.name,
    settings: values,
    classes: data.stages.map((s) => s.classes.length),
    architectures: { small: SMALL, large: LARGE },
    ...growthReport(runs, growthSteps),
    growthSteps,
    runs,
  }),
);

// npm run bench:tokens [-- --quick] [--presets tiny,small] [--tokens off,16,8] [--at N]
//                      [--towers image|image,text] [--seeds 0,1,2] [--seconds S] [--steps N]
//                      [--eval-per-class 10] [--profile]
// Token reduction (METHODS.md §4, TokenLearner v1.1) on the presets: for K in --tokens (off = no
// learner) at block --at (default: the middle of each tower), the forward GFLOPs per sample of
// each tower, training samples/s (random inputs at the preset's batch), the token learners'
// share of a step, and zero-shot top-1 on a synthetic pool after --seconds of training (equal
// wall time for every arm; arms interleaved per seed so machine load hits them alike), per seed,
// mean and spread. --quick: one seed, a short training time, fewer timed steps. Last line: one
// JSON object with the targets checked for K = 8 (the image tower's forward FLOPs −33%,
// samples/s +25%, top-1 at most 1 point lower). --profile: each arm's timed steps again under the
// kernel profiler (every kernel at 2% of a step or more, and whether it runs natively).
// --joint K:stages [--joint-weight W] [--joint-negatives hard,random] [--joint-steps N]
// [--batch B]: the joint module instead (./tokens-joint.ts) on the first preset, on a pool with
// 20% swapped captions: the dual encoder alone and with the joint module (an arm per choice of
// negatives), AUC of aligned against swapped held-out pairs by the cosine and by the match logit,
// and the median time of a training step (default 8:2, weight 1, 150 steps of 32; --quick: 60).
import { parseArgs } from 'node:util';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunSpec, type RunSpec } from '@curio/contracts';
import { generateSyntheticData } from '@curio/synthetic';
import { captionStream, createDataStats, resolvePool } from '@curio/webdataset';
import { selectBackend } from '../src/backend/index.js';
import { prepareEvalSet } from '../src/eval/evaluate.js';
import {
  ModelConfig,
  modelConfig,
  towerForwardGflops,
  withTokenLearners,
} from '../src/model/index.js';
import { trainBpe } from '../src/tokenizer/index.js';
import { measureSpeed, trainForWallTime, type Accuracy, type Speed } from './tokens-arm.js';
import { jointBench } from './tokens-joint.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    presets: { type: 'string', default: 'tiny,small' },
    tokens: { type: 'string', default: 'off,16,8' },
    at: { type: 'string' },
    towers: { type: 'string', default: 'image' },
    seeds: { type: 'string' },
    seconds: { type: 'string' },
    steps: { type: 'string' },
    pool: { type: 'string', default: '6000' },
    joint: { type: 'string' },
    'joint-weight': { type: 'string', default: '1' },
    'joint-negatives': { type: 'string', default: 'hard,random' },
    'joint-steps': { type: 'string' },
    batch: { type: 'string', default: '32' },
    profile: { type: 'boolean', default: false },
    'eval-per-class': { type: 'string', default: '10' },
  },
});
const quick = values.quick;
const presets = values.presets.split(',') as ('tiny' | 'small')[];
for (const p of presets) if (p !== 'tiny' && p !== 'small') throw new Error(`--presets: ${p}?`);
const arms = values.tokens.split(',').map((k) => (k === 'off' ? 'off' : Number(k)));
for (const k of arms)
  if (k !== 'off' && !(Number.isInteger(k) && k > 0)) throw new Error(`--tokens: ${String(k)}?`);
const towers = values.towers.split(',') as ('image' | 'text')[];
for (const t of towers) if (t !== 'image' && t !== 'text') throw new Error(`--towers: ${t}?`);
const seeds = (values.seeds ?? (quick ? '0' : '0,1,2')).split(',').map(Number);
const seconds = Number(values.seconds ?? (quick ? 20 : 180));
const timedSteps = Number(values.steps ?? (quick ? 3 : 10));
const BATCH = { tiny: 128, small: 64 } as const;

const backend = await selectBackend({ forced: process.env.CURIO_TF_BACKEND, log: console.log });
const data = await generateSyntheticData({
  outDir: await mkdtemp(join(tmpdir(), 'curio-bench-tokens-')),
  seed: 0,
  poolSize: quick ? 1500 : Number(values.pool),
  onTargetFraction: values.joint ? 0.7 : 0.9,
  mismatchedFraction: values.joint ? 0.2 : 0.05,
  shardSize: 500,
  evalPerClass: Number(values['eval-per-class']),
});
const captions: string[] = [];
for await (const s of captionStream(await resolvePool([{ name: 'p', shards: [data.poolDir] }]), {
  stats: createDataStats(),
})) {
  captions.push(s.caption);
  if (captions.length >= 5000) break;
}
const tokenizer = trainBpe(captions, { vocabSize: 1024 });

if (values.joint) {
  const [tokens, stages] = values.joint.split(':').map(Number);
  const negatives = values['joint-negatives'].split(',');
  for (const n of negatives)
    if (n !== 'hard' && n !== 'random') throw new Error(`--joint-negatives: ${n}?`);
  const preset = modelConfig(presets[0]!);
  const config = ModelConfig.parse({
    ...preset,
    text: { ...preset.text, vocab: tokenizer.vocabSize },
    joint: { tokens, stages: stages ?? 2 },
  });
  const report = await jointBench({
    poolDir: data.poolDir,
    tokenizer,
    config,
    lossWeight: Number(values['joint-weight']),
    negatives: negatives as ('hard' | 'random')[],
    seeds,
    steps: Number(values['joint-steps'] ?? (quick ? 60 : 150)),
    timedSteps,
    batch: Number(values.batch),
  });
  console.log(JSON.stringify({ backend: backend.name, preset: presets[0], ...report }));
  process.exit(0);
}

function specOf(preset: 'tiny' | 'small', k: number | 'off', seed: number): RunSpec {
  const depth = modelConfig(preset).image.depth;
  const at = values.at === undefined ? Math.floor(depth / 2) : Number(values.at);
  const learner = k === 'off' ? undefined : { tokenLearner: { at, tokens: k } };
  return parseRunSpec({
    name: 'bench-tokens',
    seed,
    pool: { sources: [{ name: 'synthetic', shards: [data.poolDir] }] },
    metadata: { file: data.metadataFile },
    model: {
      preset,
      ...(learner && towers.includes('image') ? { image: learner } : {}),
      ...(learner && towers.includes('text') ? { text: learner } : {}),
    },
    training: { batchSize: BATCH[preset], lr: 1e-3, warmupSteps: 10, sampling: 'mixed' },
    curation: { mode: 'none' },
    stop: { maxSteps: 1 },
    data: { prefetchBatches: 2 },
  });
}

function configOf(spec: RunSpec) {
  const preset = modelConfig(spec.model.preset);
  const sized = { ...preset, text: { ...preset.text, vocab: tokenizer.vocabSize } };
  return withTokenLearners(sized, spec.model);
}

interface ArmReport {
  preset: string;
  tokens: number | 'off';
  at: number | null;
  forwardGflops: { image: number; text: number };
  speed: Speed;
  runs: (Accuracy & { seed: number })[];
  top1Mean: number;
  top1Std: number;
}

const round = (x: number, d = 4) => +x.toFixed(d);
const reports: ArmReport[] = [];
for (const preset of presets) {
  const evalSet = await prepareEvalSet(
    { name: 'shapes', path: data.evalDir },
    modelConfig(preset).image.size,
  );
  const byArm = new Map<number | 'off', ArmReport>();
  for (const k of arms) {
    const spec = specOf(preset, k, 0);
    const config = configOf(spec);
    const g = towerForwardGflops(config);
    const profileWith = values.profile ? backend.nativeKernels : undefined;
    const speed = measureSpeed(config, spec, timedSteps, profileWith);
    const report: ArmReport = {
      preset,
      tokens: k,
      at: config.image.tokenLearner?.at ?? config.text.tokenLearner?.at ?? null,
      forwardGflops: { image: round(g.image, 5), text: round(g.text, 5) },
      speed,
      runs: [],
      top1Mean: 0,
      top1Std: 0,
    };
    byArm.set(k, report);
    console.log(
      `${preset} K=${k}: ${JSON.stringify(report.forwardGflops)} GFLOPs, ${speed.samplesPerSec.toFixed(1)} samples/s, learners ${JSON.stringify(speed.learners)}`,
    );
    if (speed.profile) console.log(`${preset} K=${k} profile: ${JSON.stringify(speed.profile)}`);
  }
  for (const seed of seeds)
    for (const k of arms) {
      const spec = specOf(preset, k, seed);
      const acc = await trainForWallTime(configOf(spec), spec, tokenizer, evalSet, seconds);
      byArm.get(k)!.runs.push({ seed, ...acc });
      console.log(`${preset} K=${k} seed ${seed}: ${JSON.stringify(acc)}`);
    }
  for (const r of byArm.values()) {
    const xs = r.runs.map((x) => x.top1);
    r.top1Mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    r.top1Std = Math.sqrt(xs.reduce((a, b) => a + (b - r.top1Mean) ** 2, 0) / xs.length);
    reports.push(r);
  }
}

const meanPoolSamplesPerSec = (r: ArmReport) =>
  r.runs.reduce((t, x) => t + x.samplesPerSec, 0) / r.runs.length;

/** The targets for K = 8 against off, per preset. */
function targets(preset: string) {
  const off = reports.find((r) => r.preset === preset && r.tokens === 'off');
  const k8 = reports.find((r) => r.preset === preset && r.tokens === 8);
  if (!off || !k8) return undefined;
  const flopCut = 1 - k8.forwardGflops.image / off.forwardGflops.image;
  const speedup = k8.speed.samplesPerSec / off.speed.samplesPerSec - 1;
  const poolSpeedup = meanPoolSamplesPerSec(k8) / meanPoolSamplesPerSec(off) - 1;
  const top1Delta = 100 * (k8.top1Mean - off.top1Mean);
  return {
    imageFlopCut: round(flopCut, 3),
    /** Random images and full-length captions (the text tower at its most expensive). */
    samplesPerSecGain: round(speedup, 3),
    /** Training on the synthetic pool: real caption lengths, decoding and augmentation. */
    poolSamplesPerSecGain: round(poolSpeedup, 3),
    top1DeltaPoints: round(top1Delta, 2),
    met: {
      flops: flopCut >= 0.33,
      speed: speedup >= 0.25,
      speedOnPool: poolSpeedup >= 0.25,
      top1AtEqualWallTime: top1Delta >= 0,
    },
  };
}

console.log(
  JSON.stringify({
    bench: 'tokens',
    backend: backend.name,
    quick,
    seeds,
    trainSecondsPerArm: seconds,
    towers,
    arms: reports.map((r) => ({
      ...r,
      speed: {
        samplesPerSec: round(r.speed.samplesPerSec, 1),
        stepMs: round(r.speed.stepMs, 1),
        learners: r.speed.learners,
        ...(r.speed.profile && { profile: r.speed.profile }),
      },
      poolSamplesPerSec: round(meanPoolSamplesPerSec(r), 1),
      top1Mean: round(r.top1Mean),
      top1Std: round(r.top1Std),
    })),
    targets: Object.fromEntries(presets.map((p) => [p, targets(p)])),
  }),
);

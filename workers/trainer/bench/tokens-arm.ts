// One arm of the token-reduction benchmark (./tokens.ts): a model config with or without token
// learners, measured three ways: training samples/s on random inputs at the preset's batch, the
// share of a step the token learners take (each learner's forward and backward timed alone at
// the step's shapes, against the whole step), and zero-shot top-1 after a fixed wall time of
// training on the synthetic pool.
import * as tf from '@tensorflow/tfjs';
import type { RunSpec } from '@curio/contracts';
import { profileKernels } from '@curio/native-kernels';
import { buildPoolIndex, createDataStats, resolvePool } from '@curio/webdataset';
import { evaluate, type PreparedEvalSet } from '../src/eval/evaluate.js';
import { batchStep } from '../src/loop/batch-step.js';
import { feedCommon, poolFeed } from '../src/loop/data-feed.js';
import { createOptimizer } from '../src/loop/setup.js';
import { trainStep } from '../src/loop/train-step.js';
import { imagePatches, modelOfConfig, TokenLearner, type ModelConfig } from '../src/model/index.js';
import { ParamStore } from '../src/model/params.js';
import { lrAt } from '../src/optim/index.js';
import type { Tokenizer } from '../src/tokenizer/index.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(f: () => void, repeats: number): number {
  f(); // warm-up: kernels, plans, allocations
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export interface Speed {
  samplesPerSec: number;
  stepMs: number;
  /** Forward + backward of each tower's token learner alone, ms per step, and share of the step. */
  learners: Partial<Record<'image' | 'text', { ms: number; share: number }>>;
  /** With `nativeKernels`: a profiled step, by kernel. */
  profile?: StepProfile;
}

export interface StepProfile {
  /** Every kernel at or above 2% of a step, slowest first. */
  kernels: KernelShare[];
  /** Time outside tfjs kernels: the fused native ops the model calls directly, and JS. */
  outsideKernelsShare: number;
}

export interface KernelShare {
  kernel: string;
  msPerStep: number;
  share: number;
  /** Replaced by a native kernel (`SelectedBackend.nativeKernels`). */
  native: boolean;
}

/**
 * Samples/s of training steps on random images and full-length random captions; with
 * `nativeKernels`, the same steps again under the kernel profiler.
 */
export function measureSpeed(
  config: ModelConfig,
  spec: RunSpec,
  steps: number,
  nativeKernels?: string[],
): Speed {
  const batch = spec.training.batchSize;
  const model = modelOfConfig(config, spec.model, spec.seed);
  const optimizer = createOptimizer(model, spec);
  const size = config.image.size;
  const images = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const shape: [number, number] = [batch, config.text.context];
  const tokens = tf.randomUniform(shape, 3, config.text.vocab, 'int32', 2) as tf.Tensor2D;
  const step = () =>
    void trainStep(model, optimizer, { images, tokens }, { direction: 'symmetric', lr: 1e-4 });
  const stepMs = timed(step, steps);
  const profile = nativeKernels && profiledStep(step, steps, nativeKernels);
  model.dispose();
  optimizer.dispose();
  tf.dispose([images, tokens]);
  const learners: Speed['learners'] = {};
  const { image, text } = config;
  if (image.tokenLearner) {
    const ms = learnerMs(batch, imagePatches(image), image.width, image.tokenLearner.tokens, steps);
    learners.image = { ms, share: ms / stepMs };
  }
  if (text.tokenLearner) {
    const ms = learnerMs(batch, text.context, text.width, text.tokenLearner.tokens, steps);
    learners.text = { ms, share: ms / stepMs };
  }
  return { samplesPerSec: (batch * 1000) / stepMs, stepMs, learners, ...(profile && { profile }) };
}

/** `steps` steps under the kernel profiler. */
function profiledStep(step: () => void, steps: number, nativeKernels: string[]): StepProfile {
  const profiler = profileKernels(tf, tf.getBackend());
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const stepMs = (performance.now() - t0) / steps;
  const report = profiler.report();
  profiler.stop();
  const kernelMs = report.reduce((t, r) => t + r.ms, 0) / steps;
  const kernels = report
    .map((r) => ({
      kernel: r.kernel,
      msPerStep: +(r.ms / steps).toFixed(2),
      share: +(r.ms / steps / stepMs).toFixed(4),
      native: nativeKernels.includes(r.kernel),
    }))
    .filter((k) => k.share >= 0.02);
  return { kernels, outsideKernelsShare: +(1 - kernelMs / stepMs).toFixed(4) };
}

/** One token learner's forward and backward on [B·L, W], ms (median). */
function learnerMs(batch: number, length: number, width: number, k: number, repeats: number) {
  const store = new ParamStore(0);
  const learner = new TokenLearner(store, 'bench', width, k, 1e-5);
  const x = tf.variable(tf.randomNormal([batch * length, width], 0, 1, 'float32', 3));
  const upstream = tf.randomNormal([batch * k, width], 0, 1, 'float32', 4);
  const vars = [x, ...store.all().map((p) => p.variable)];
  const layout = { batch, length, positionMask: null };
  const ms = timed(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(learner.apply(x as tf.Variable<tf.Rank.R2>, layout), upstream)),
      vars,
    );
    tf.dispose([value, ...Object.values(grads)]);
  }, repeats);
  store.dispose();
  tf.dispose([x, upstream]);
  return ms;
}

export interface Accuracy {
  top1: number;
  steps: number;
  seconds: number;
  /** Training samples/s on the pool: decoding, augmentation and every step of the loop. */
  samplesPerSec: number;
}

/** Trains for `seconds` of wall time (warmup, then constant rate) and evaluates zero-shot. */
export async function trainForWallTime(
  config: ModelConfig,
  spec: RunSpec,
  tokenizer: Tokenizer,
  evalSet: PreparedEvalSet,
  seconds: number,
): Promise<Accuracy> {
  const model = modelOfConfig(config, spec.model, spec.seed);
  const optimizer = createOptimizer(model, spec);
  const stats = createDataStats();
  const index = await buildPoolIndex(await resolvePool(spec.pool.sources), { stats });
  const feed = poolFeed(index, feedCommon(spec, config.image.size, stats));
  const schedule = { baseLr: spec.training.lr, warmupSteps: 10, totalSteps: 0 };
  const started = performance.now();
  let step = 0;
  let trainSeconds = 0;
  try {
    // the first batch's decoding is not training time
    let batch = await feed.next(step);
    const t0 = performance.now();
    while ((performance.now() - t0) / 1000 < seconds) {
      batchStep({ model, optimizer, tokenizer }, batch, spec, step, lrAt(step, schedule));
      step++;
      batch = await feed.next(step);
    }
    trainSeconds = (performance.now() - t0) / 1000;
  } finally {
    await feed.close();
  }
  const top1 = (await evaluate(model, tokenizer, evalSet)).zeroShot.top1;
  model.dispose();
  optimizer.dispose();
  const samplesPerSec = (step * spec.training.batchSize) / trainSeconds;
  return { top1, steps: step, seconds: (performance.now() - started) / 1000, samplesPerSec };
}

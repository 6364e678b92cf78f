// The joint mode of the token-reduction benchmark (./tokens.ts --joint): what the joint module
// (METHODS.md §4, `model.joint`) buys as a pair scorer. The arms train from the same seed on the
// same batches of a synthetic pool that holds swapped captions (an on-target caption on the wrong
// image): the dual encoder alone, and with the joint module and its pair-matching loss (an arm
// per choice of negatives). On pairs held out of training, each arm's dual-encoder cosine and the
// joint arms' match logits separate aligned pairs from swapped ones (AUC: what CiT's pair filter
// needs); the cost is each arm's median time of a training step (the arms' steps interleaved on
// one batch) and the joint module's forward GFLOPs per pair.
import * as tf from '@tensorflow/tfjs';
import { parseRunSpec, type RunSpec } from '@curio/contracts';
import { Rng } from '@curio/random';
import { captionStream, createDataStats, resolvePool, type CaptionSample } from '@curio/webdataset';
import { aucAbove } from '../src/curation/stats.js';
import { pairTruth } from '../src/curation/pool-truth.js';
import { decodeBatch } from '../src/data/index.js';
import { l2Normalize } from '../src/loss/index.js';
import { createOptimizer } from '../src/loop/setup.js';
import { trainStep } from '../src/loop/train-step.js';
import {
  jointForwardFlops,
  modelOfConfig,
  towerForwardFlops,
  type ClipModel,
  type ModelConfig,
} from '../src/model/index.js';
import { lrAt } from '../src/optim/index.js';
import type { Tokenizer } from '../src/tokenizer/index.js';

export interface JointBenchOptions {
  poolDir: string;
  tokenizer: Tokenizer;
  /** The architecture with its joint module (the contrastive arm drops it). */
  config: ModelConfig;
  lossWeight: number;
  /** One joint arm per choice of negatives. */
  negatives: Negatives[];
  seeds: number[];
  steps: number;
  /** Interleaved steps timed per arm. */
  timedSteps: number;
  batch: number;
}

type Negatives = 'hard' | 'random';

/** An arm: the dual encoder alone (no joint module), or with it and a choice of negatives. */
interface Arm {
  name: string;
  config: ModelConfig;
  negatives: Negatives;
}

/** Decoded pairs: pixels [n, size, size, 3], captions, and what the pool says each pair is. */
interface Pairs {
  pixels: Float32Array;
  captions: string[];
  truth: (string | undefined)[];
}

async function loadPairs(poolDir: string, size: number): Promise<Pairs> {
  const stats = createDataStats();
  const samples: CaptionSample[] = [];
  for await (const s of captionStream(await resolvePool([{ name: 'p', shards: [poolDir] }]), {
    stats,
  }))
    samples.push(s);
  const decoded = await decodeBatch(samples, { size, stats });
  const kept = decoded.kept.map((i) => samples[i]!);
  return {
    pixels: decoded.pixels,
    captions: kept.map((s) => s.caption),
    truth: kept.map((s) => pairTruth(s)),
  };
}

function slicePairs(p: Pairs, start: number, end: number, size: number): Pairs {
  const stride = size * size * 3;
  return {
    pixels: p.pixels.subarray(start * stride, end * stride),
    captions: p.captions.slice(start, end),
    truth: p.truth.slice(start, end),
  };
}

function tensorsOf(p: Pairs, rows: number[], config: ModelConfig, tokenizer: Tokenizer) {
  const { size } = config.image;
  const stride = size * size * 3;
  const pixels = new Float32Array(rows.length * stride);
  rows.forEach((r, k) => pixels.set(p.pixels.subarray(r * stride, (r + 1) * stride), k * stride));
  const context = config.text.context;
  const captions = rows.map((r) => p.captions[r]!);
  return {
    images: tf.tensor4d(pixels, [rows.length, size, size, 3]),
    tokens: tf.tensor2d(tokenizer.encodeBatch(captions, context), [rows.length, context], 'int32'),
  };
}

/** The step options of an arm: with the joint module, its pair-matching loss. */
function stepOptions(model: ClipModel, spec: RunSpec, negatives: Negatives, o: JointBenchOptions) {
  return (step: number, lr: number) => ({
    direction: 'symmetric' as const,
    lr,
    ...(model.hasJoint
      ? {
          pairMatching: {
            weight: o.lossWeight,
            negatives,
            rng: Rng.derive(spec.seed, 'joint-negatives', step),
          },
        }
      : {}),
  });
}

/** Train `steps` steps on batches drawn by the seed. */
function train(
  model: ClipModel,
  spec: RunSpec,
  pairs: Pairs,
  negatives: Negatives,
  o: JointBenchOptions,
): void {
  const optimizer = createOptimizer(model, spec);
  const n = pairs.captions.length;
  const rng = Rng.derive(spec.seed, 'joint-bench-batches');
  const draw = () => rng.int(n);
  const schedule = { baseLr: spec.training.lr, warmupSteps: 10, totalSteps: o.steps };
  const options = stepOptions(model, spec, negatives, o);
  for (let step = 0; step < o.steps; step++) {
    const rows = Array.from({ length: o.batch }, draw);
    const batch = tensorsOf(pairs, rows, model.config, o.tokenizer);
    trainStep(model, optimizer, batch, options(step, lrAt(step, schedule)));
    tf.dispose([batch.images, batch.tokens]);
  }
  optimizer.dispose();
}

/**
 * Median milliseconds of a training step per arm, on one batch, the arms' steps interleaved (one
 * of each per round, `timedSteps` rounds after a warm-up one) so machine load hits them alike.
 */
function stepCosts(arms: Arm[], spec: RunSpec, pairs: Pairs, o: JointBenchOptions) {
  const rows = Array.from({ length: o.batch }, (_, k) => k);
  const batch = tensorsOf(pairs, rows, o.config, o.tokenizer);
  const timed = arms.map((a) => {
    const model = modelOfConfig(a.config, spec.model, spec.seed);
    const optimizer = createOptimizer(model, spec);
    return {
      a,
      model,
      optimizer,
      options: stepOptions(model, spec, a.negatives, o),
      ms: [] as number[],
    };
  });
  for (let round = 0; round <= o.timedSteps; round++)
    for (const t of timed) {
      const t0 = performance.now();
      trainStep(t.model, t.optimizer, batch, t.options(round, 1e-4));
      if (round > 0) t.ms.push(performance.now() - t0);
    }
  tf.dispose([batch.images, batch.tokens]);
  return Object.fromEntries(
    timed.map((t) => {
      t.model.dispose();
      t.optimizer.dispose();
      return [t.a.name, Math.round(t.ms.sort((x, y) => x - y)[Math.floor(t.ms.length / 2)]!)];
    }),
  );
}

/** Cosine and (with the joint module) match logit of each held-out pair. */
function scorePairs(model: ClipModel, held: Pairs, o: JointBenchOptions) {
  const cosine: number[] = [];
  const joint: number[] = [];
  for (let start = 0; start < held.captions.length; start += 64) {
    const rows = Array.from(
      { length: Math.min(64, held.captions.length - start) },
      (_, k) => start + k,
    );
    const { images, tokens } = tensorsOf(held, rows, model.config, o.tokenizer);
    tf.tidy(() => {
      const pairs = model.encodePairs(images, tokens);
      const [a, b] = [l2Normalize(pairs.image.embedding), l2Normalize(pairs.text.embedding)];
      cosine.push(...tf.sum(tf.mul(a, b), 1).dataSync());
      if (model.hasJoint) joint.push(...model.matchLogits(pairs).dataSync());
    });
    tf.dispose([images, tokens]);
  }
  return { cosine, joint };
}

/** AUC of aligned pairs scoring above swapped ones. */
function alignedAuc(scores: number[], truth: (string | undefined)[]): number {
  const of = (kind: string) => scores.filter((_, i) => truth[i] === kind);
  return +aucAbove(of('aligned'), of('swapped')).toFixed(4);
}

export async function jointBench(o: JointBenchOptions) {
  const { config } = o;
  const size = config.image.size;
  const all = await loadPairs(o.poolDir, size);
  const cut = Math.floor(all.captions.length * 0.75);
  const [trainPairs, held] = [
    slicePairs(all, 0, cut, size),
    slicePairs(all, cut, all.captions.length, size),
  ];
  const { joint, ...contrastive } = config;
  const arms: Arm[] = [
    { name: 'contrastive', config: contrastive, negatives: 'random' },
    ...o.negatives.map((negatives) => ({ name: `joint-${negatives}`, config, negatives })),
  ];
  let msPerStep: Record<string, number> = {};
  const runs = [];
  for (const seed of o.seeds) {
    const spec = parseRunSpec({
      name: 'bench-joint',
      seed,
      pool: { sources: [{ name: 'synthetic', shards: [o.poolDir] }] },
      metadata: { names: ['unused'] },
      training: { batchSize: o.batch, lr: 1e-3 },
      stop: { maxSteps: o.steps },
    });
    if (seed === o.seeds[0]) {
      msPerStep = stepCosts(arms, spec, trainPairs, o);
      console.log(`joint bench ms per step: ${JSON.stringify(msPerStep)}`);
    }
    const aucs: Record<string, unknown> = {};
    for (const arm of arms) {
      const model = modelOfConfig(arm.config, spec.model, seed);
      train(model, spec, trainPairs, arm.negatives, o);
      const scores = scorePairs(model, held, o);
      aucs[arm.name] = {
        cosineAuc: alignedAuc(scores.cosine, held.truth),
        ...(model.hasJoint ? { jointAuc: alignedAuc(scores.joint, held.truth) } : {}),
      };
      model.dispose();
      console.log(`joint bench seed ${seed} ${arm.name}: ${JSON.stringify(aucs[arm.name])}`);
    }
    runs.push({ seed, ...aucs });
  }
  const towers = towerForwardFlops(config);
  const count = (kind: string) => held.truth.filter((t) => t === kind).length;
  return {
    bench: 'tokens-joint',
    joint: { ...joint, lossWeight: o.lossWeight, negatives: o.negatives },
    steps: o.steps,
    batch: o.batch,
    msPerStep,
    pairs: {
      train: trainPairs.captions.length,
      heldAligned: count('aligned'),
      heldSwapped: count('swapped'),
    },
    gflopsPerPair: {
      towers: (towers.image + towers.text) / 1e9,
      joint: jointForwardFlops(config) / 1e9,
    },
    runs,
  };
}

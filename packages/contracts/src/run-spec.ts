// The run spec: everything a training job needs, shared by the trainer (standalone and worker
// mode) and the API (experiment configs). One zod schema; defaults follow METHODS.md.
import { z } from 'zod';
import {
  boundedInt,
  fraction,
  INT4_MAX,
  MAX_BATCH,
  MAX_MINUTES,
  MAX_STEPS,
  stepCount,
} from './bounds.js';
import { CurationSpec } from './curation-spec.js';
import { GrowthSpec } from './growth.js';
import { jointSpecProblem, JointSpec, PRESETS_WITHOUT_JOINT } from './joint.js';
import { ModelInit } from './model-init.js';
import { PRESET_TOWERS, TokenLearnerSpec, tokenLearnerProblem } from './token-learner.js';

export { CheckpointRef, ModelInit } from './model-init.js';
export { CurationSpec } from './curation-spec.js';

const batch = boundedInt(1, MAX_BATCH);

/** A location of data: a local path, a directory, a glob, a file:// or http(s):// URL. */
export const ShardLocation = z
  .string()
  .min(1, 'a shard location must not be empty')
  .max(4096, 'a shard location is at most 4096 characters');

export const PoolSource = z.strictObject({
  /** Name of the source, used by debiased / adaptive sampling and in stats. */
  name: z.string().min(1).max(200),
  /** img2dataset WebDataset shards: paths, directories, globs or URLs. */
  shards: z.array(ShardLocation).min(1, 'a pool source needs at least one shard').max(10_000),
});
export type PoolSource = z.infer<typeof PoolSource>;

export const PoolSpec = z.strictObject({
  sources: z.array(PoolSource).min(1, 'the pool needs at least one source').max(100),
});
export type PoolSpec = z.infer<typeof PoolSpec>;

export const MetadataSpec = z
  .object({
    /** Names of what the team cares about (e.g. class names). */
    names: z.array(z.string().min(1).max(1000)).max(100_000).optional(),
    /** A text file with one name a line (alternative to `names`). */
    file: z.string().min(1).max(4096).optional(),
    /** Extra surface forms per name; averaged with the name when embedding. */
    synonyms: z.record(z.string(), z.array(z.string().min(1).max(1000)).max(1000)).default({}),
    /** Templates used to embed metadata for curation; `{}` stands for the name. */
    templates: z.array(z.string().max(1000).includes('{}')).min(1).max(1000).default(['{}']),
  })
  .refine((m) => (m.names?.length ?? 0) > 0 || m.file !== undefined, {
    message: 'metadata needs `names` (a non-empty list) or `file`',
    path: ['names'],
  });
export type MetadataSpec = z.infer<typeof MetadataSpec>;

export const EvalSetSpec = z.strictObject({
  name: z.string().min(1).max(200),
  /** A clip_benchmark WebDataset folder (classnames.txt, templates, test/*.tar). */
  path: z.string().min(1).max(4096),
});
export type EvalSetSpec = z.infer<typeof EvalSetSpec>;

export const TowerSpec = z.strictObject({
  /** LiT-style locking: train everything, only the projection head, or nothing. */
  trainable: z.enum(['all', 'head', 'none']).default('all'),
  /** Initialise this tower from a Curio checkpoint (see `ModelInit`). */
  init: ModelInit.optional(),
  /** Token reduction after block `at` to `tokens` tokens (TokenLearner v1.1); off when absent. */
  tokenLearner: TokenLearnerSpec.optional(),
});
export type TowerSpec = z.infer<typeof TowerSpec>;

export const ModelSpec = z
  .strictObject({
    preset: z.enum(['tiny', 'small', 'base']).default('tiny'),
    image: TowerSpec.default({ trainable: 'all' }),
    text: TowerSpec.default({ trainable: 'all' }),
    /** Text pooling: end-of-text token or mean over real (non-padding) tokens. */
    textPooling: z.enum(['eot', 'mean']).default('mean'),
    temperature: z
      .discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('learnable'),
          init: z.number().positive().max(100).default(0.07),
        }),
        z.strictObject({
          kind: z.literal('fixed'),
          value: z.number().positive().max(100).default(0.02),
        }),
      ])
      .default({ kind: 'learnable', init: 0.07 }),
    /** A pair's image and text tokens reduced jointly to a match score (`./joint.ts`); off if absent. */
    joint: JointSpec.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.joint && PRESETS_WITHOUT_JOINT.includes(m.preset))
      ctx.addIssue({
        code: 'custom',
        message: `the joint sequence needs towers of one width, which preset ${m.preset} has not`,
        path: ['joint'],
      });
    const imageTokens = m.image.tokenLearner?.tokens ?? PRESET_TOWERS[m.preset].image.positions;
    if (m.joint && m.joint.tokens > imageTokens)
      ctx.addIssue({
        code: 'custom',
        message: `tokens (${m.joint.tokens}) must be at most the image tower's ${imageTokens} tokens (preset ${m.preset})`,
        path: ['joint', 'tokens'],
      });
    for (const tower of ['image', 'text'] as const) {
      const learner = m[tower].tokenLearner;
      const problem = learner && tokenLearnerProblem(learner, PRESET_TOWERS[m.preset][tower]);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `${problem} (preset ${m.preset})`,
          path: [tower, 'tokenLearner'],
        });
    }
    if (m.text.tokenLearner && m.textPooling === 'eot')
      ctx.addIssue({
        code: 'custom',
        message:
          'eot pooling needs the end-of-text position, which a text token learner pools away: use mean (the mean of its tokens)',
        path: ['textPooling'],
      });
  });
export type ModelSpec = z.infer<typeof ModelSpec>;

export const TokenizerSpec = z.strictObject({
  /** Vocabulary size to train; capped by the preset's vocab. */
  vocabSize: boundedInt(1, 1_000_000).optional(),
  /** Captions sampled from the pool to train the tokenizer on. */
  trainCaptions: boundedInt(1, 10_000_000).default(20000),
});
export type TokenizerSpec = z.infer<typeof TokenizerSpec>;

/**
 * How much each pool source weighs when a batch's source is drawn (`training.sampling`
 * `debiased` or `mixed`). `proportional`: ∝ its size (ZeroVL). `adaptive` (ours, METHODS.md §4):
 * every `interval` steps w = (1 − floor)·softmax(eta·Δ̄) + floor/K, Δ̄ₖ the running mean of the
 * relative fall of source k's held-out loss (capped at chance, ln of its chunk) at each update, on
 * `heldOut` pairs per source never trained on; a source whose loss is not below chance by
 * `chanceMargin` keeps only floor/K (it has taught the model nothing yet).
 */
export const SourceWeightsSpec = z.strictObject({
  mode: z.enum(['proportional', 'adaptive']).default('proportional'),
  /** Steps between two weight updates (each costs one forward pass over the held-out pairs). */
  interval: stepCount.default(50),
  /** η: how sharply the weights follow the improvements (Δ is relative: ~0.01–0.05 an update). */
  eta: z.number().min(0).max(1000).default(100),
  /**
   * Weight of the newest update's Δ in the running mean Δ̄ (1: the newest alone): one noisy
   * update cannot hand a source that has not been learning most of the batches.
   */
  smoothing: z.number().gt(0).max(1).default(0.3),
  /** ε: the share mixed in evenly, so every source keeps at least ε/K of the batches. */
  floor: z.number().gt(0).max(1).default(0.15),
  /**
   * How far below chance (a fraction of ln N) a source's held-out loss must be to count as
   * learned and share in the softmax; until then it keeps the floor (our choice, METHODS.md §4).
   */
  chanceMargin: z.number().min(0).lt(1).default(0.01),
  /** Pairs held out per source (its first pairs in shard order) to measure its loss. */
  heldOut: boundedInt(2, 100_000).default(256),
});
export type SourceWeightsSpec = z.infer<typeof SourceWeightsSpec>;

export const TrainingSpec = z.strictObject({
  /** Effective batch size N (the contrastive batch). */
  batchSize: batch.default(128),
  /** Decoupled gradient accumulation: sub-batch b (must divide batchSize). Off when absent. */
  subBatch: batch.optional(),
  lr: z.number().positive().max(10).default(5e-4),
  weightDecay: z.number().min(0).max(100).default(0.2),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.98),
  eps: z.number().positive().max(1).default(1e-6),
  warmupSteps: boundedInt(0, MAX_STEPS).default(50),
  /** Clip the global gradient norm to this value. Off when absent. */
  gradClip: z.number().positive().max(1e6).optional(),
  /** Symmetric InfoNCE, or image→text only (CiT). */
  lossDirection: z.enum(['symmetric', 'image-to-text']).default('symmetric'),
  /** How batches are drawn across pool sources (ZeroVL debiased sampling). */
  sampling: z.enum(['debiased', 'mixed', 'sequential']).default('debiased'),
  /** What each source weighs in that draw: its size, or adaptive (see `SourceWeightsSpec`). */
  sourceWeights: SourceWeightsSpec.default(SourceWeightsSpec.parse({})),
  /** ZeroVL coin-flipping mixup. */
  mixup: z
    .object({
      enabled: z.boolean().default(false),
      alpha: z.number().positive().max(100).default(0.1),
    })
    .default({ enabled: false, alpha: 0.1 }),
  augment: z
    .object({
      randomResizedCrop: z.boolean().default(true),
      minScale: fraction.default(0.6),
      flip: z.boolean().default(true),
    })
    .default({ randomResizedCrop: true, minScale: 0.6, flip: true }),
});
export type TrainingSpec = z.infer<typeof TrainingSpec>;

export const StopSpec = z
  .object({
    maxSteps: stepCount.optional(),
    maxMinutes: z.number().positive().max(MAX_MINUTES).optional(),
    /** Stop when zero-shot top-1 on `evalSet` (default: the first) reaches this value. */
    targetAccuracy: z
      .object({ top1: fraction, evalSet: z.string().min(1).max(200).optional() })
      .optional(),
  })
  .refine((s) => s.maxSteps !== undefined || s.maxMinutes !== undefined, {
    message: 'stop needs maxSteps or maxMinutes so that a run always ends',
    path: ['maxSteps'],
  });
export type StopSpec = z.infer<typeof StopSpec>;

export const RunSpec = z.strictObject({
  name: z.string().min(1).max(200).default('run'),
  seed: boundedInt(0, INT4_MAX).default(0),
  pool: PoolSpec,
  metadata: MetadataSpec,
  evalSets: z.array(EvalSetSpec).max(100).default([]),
  model: ModelSpec.default({
    preset: 'tiny',
    image: { trainable: 'all' },
    text: { trainable: 'all' },
    textPooling: 'mean',
    temperature: { kind: 'learnable', init: 0.07 },
  }),
  tokenizer: TokenizerSpec.default({ trainCaptions: 20000 }),
  training: TrainingSpec.default(TrainingSpec.parse({})),
  curation: CurationSpec.default(CurationSpec.parse({})),
  stop: StopSpec,
  eval: z
    .object({
      everySteps: stepCount.default(100),
      maxSamples: boundedInt(1, 10_000_000).optional(),
    })
    .default({ everySteps: 100 }),
  checkpoint: z
    .strictObject({
      everySteps: stepCount.default(200),
      /** Retention: the newest `keep` checkpoints, plus the best by the target eval, are kept. */
      keep: boundedInt(1, 1_000).default(3),
    })
    .default({ everySteps: 200, keep: 3 }),
  /** Data loading: decoded batches prefetched ahead of the model. */
  data: z.object({ prefetchBatches: boundedInt(0, 64).default(2) }).default({ prefetchBatches: 2 }),
  /** GrowCLIP: grow the model of `growth.parent` before training (see `./growth.ts`). */
  growth: GrowthSpec.optional(),
});
export type RunSpec = z.infer<typeof RunSpec>;
export type RunSpecInput = z.input<typeof RunSpec>;

/** Whether the text tower starts trained: a tower `init`, or the parent of a growth run. */
export function textTowerTrained(spec: RunSpec): boolean {
  return Boolean(spec.model.text.init || spec.growth);
}

/** Parse a run spec, throwing an error whose message names every invalid field. */
export function parseRunSpec(input: unknown): RunSpec {
  const result = RunSpec.safeParse(input);
  if (!result.success) throw new Error(`invalid run spec: ${formatIssues(result.error)}`);
  const spec = result.data;
  const { batchSize, subBatch } = spec.training;
  if (subBatch !== undefined && batchSize % subBatch !== 0) {
    throw new Error(
      `invalid run spec: training.subBatch (${subBatch}) must divide training.batchSize (${batchSize})`,
    );
  }
  checkSourceWeights(spec);
  const growth = spec.growth;
  if (growth && (spec.model.image.init || spec.model.text.init))
    throw new Error(
      'invalid run spec: a growth run starts from growth.parent; model.image.init and model.text.init must be absent',
    );
  if (growth && (spec.model.image.tokenLearner || spec.model.text.tokenLearner))
    throw new Error(
      "invalid run spec: a growth run keeps growth.parent's architecture (its token learners included); model.image.tokenLearner and model.text.tokenLearner must be absent",
    );
  const joint = jointSpecProblem(spec);
  if (joint) throw new Error(`invalid run spec: ${joint}`);
  if (growth?.score === 'zero-shot') {
    const name = growth.scoreEvalSet ?? spec.evalSets[0]?.name;
    if (!spec.evalSets.some((e) => e.name === name))
      throw new Error(
        `invalid run spec: growth.score zero-shot needs an eval set (growth.scoreEvalSet ${name ?? '(none)'} is not in evalSets)`,
      );
  }
  return spec;
}

/** Adaptive source weights need sources drawn by weight from the whole pool. */
function checkSourceWeights(spec: RunSpec): void {
  if (spec.training.sourceWeights.mode !== 'adaptive') return;
  const why =
    spec.curation.mode !== 'none'
      ? `needs curation.mode none (got ${spec.curation.mode}): curated buffers are not drawn by source`
      : spec.training.sampling === 'sequential'
        ? 'needs training.sampling debiased or mixed (sequential does not draw sources by weight)'
        : spec.pool.sources.length < 2
          ? 'needs at least two pool sources'
          : undefined;
  if (why) throw new Error(`invalid run spec: training.sourceWeights.mode adaptive ${why}`);
}

/** "a.b: message; c: message" for a zod error. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

// GrowCLIP growth (METHODS.md §3): the `growth` section of a run spec, and the `growth` run event
// the trainer sends for each growth step. Search space, PIM's form and the shared blocks'
// placement are ours (the paper does not fix them); the trainer README documents the defaults.
import { z } from 'zod';
import { boundedInt, INT4_MAX, MAX_MINUTES, MAX_STEPS } from './bounds.js';
import { ForwardGflops } from './forward-gflops.js';
import { ModelInit } from './model-init.js';

/**
 * What a growth step may do to the parent: +k transformer blocks in a tower, wider blocks
 * (residual width and MLP size), more attention heads (same head size), +k shared blocks (one set
 * of weights run on each tower's token sequence on top of the towers; images and texts still
 * embed independently).
 */
export const GROWTH_OPERATORS = ['addBlocks', 'widen', 'addHeads', 'addSharedBlocks'] as const;
export const GrowthOperator = z.enum(GROWTH_OPERATORS);
export type GrowthOperator = z.infer<typeof GrowthOperator>;

/** How candidates are scored on held-out new data: lower loss, or higher zero-shot top-1. */
export const GROWTH_SCORES = ['contrastive-loss', 'zero-shot'] as const;
export const GrowthScore = z.enum(GROWTH_SCORES);
export type GrowthScore = z.infer<typeof GrowthScore>;

export const GrowthBudget = z.strictObject({
  /** Children whose forward GFLOPs per image-text pair exceed this are not candidates. */
  maxGflopsPerSample: z.number().positive().max(1e6).optional(),
  /** Children with more parameters than this are not candidates. */
  maxParams: boundedInt(1, Number.MAX_SAFE_INTEGER).optional(),
});
export type GrowthBudget = z.infer<typeof GrowthBudget>;

/**
 * The candidate space (ours). Each operator comes in sizes 1..s, where the scale
 * s = min(maxScale, 1 + ⌊newSamples / samplesPerScale⌋) grows with the amount of new data:
 * size j adds j·blocks blocks, j·heads heads, or multiplies widths by widenFactor^j.
 */
export const GrowthSpace = z.strictObject({
  blocks: boundedInt(1, 64).default(1),
  heads: boundedInt(1, 64).default(1),
  widenFactor: z.number().gt(1).max(4).default(1.5),
  samplesPerScale: boundedInt(1, INT4_MAX).default(20_000),
  maxScale: boundedInt(1, 8).default(2),
});
export type GrowthSpace = z.infer<typeof GrowthSpace>;

/** The proxy training of each candidate: steps and/or minutes, whichever ends first. */
export const GrowthProxy = z
  .strictObject({
    steps: boundedInt(1, MAX_STEPS).optional(),
    minutes: z.number().positive().max(MAX_MINUTES).optional(),
  })
  .refine((p) => p.steps !== undefined || p.minutes !== undefined, {
    message: 'growth.proxy needs steps or minutes',
    path: ['steps'],
  });
export type GrowthProxy = z.infer<typeof GrowthProxy>;

export const GrowthSpec = z.strictObject({
  /**
   * The checkpoint to grow from (its architecture, weights, optimiser state and tokenizer; the
   * run's `model.preset` is not used, and `model.*.init` must be absent): the API resolves a
   * reference to `{ checkpoint }` and the worker reads it like a tower's `init`; a path is for
   * standalone `curio-train --spec` only.
   */
  parent: ModelInit,
  operators: z
    .array(GrowthOperator)
    .min(1)
    .max(4)
    .default([...GROWTH_OPERATORS]),
  /**
   * The towers `addBlocks`, `widen` and `addHeads` apply to, one candidate each: `image`, `text`,
   * or `both` (one candidate growing both towers alike, so a step can double the model).
   */
  towers: z
    .array(z.enum(['image', 'text', 'both']))
    .min(1)
    .max(3)
    .refine((t) => new Set(t).size === t.length, { message: 'growth.towers repeats a tower' })
    .default(['image', 'text']),
  budget: GrowthBudget.default({}),
  space: GrowthSpace.default(GrowthSpace.parse({})),
  /** New pairs since the parent (the platform fills it in); absent: the pool's pairs are counted. */
  newSamples: boundedInt(0, Number.MAX_SAFE_INTEGER).optional(),
  proxy: GrowthProxy.default({ steps: 50 }),
  /** PIM: inherited tensors start at m·θ_old + (1−m)·θ_fresh. 1 keeps the parent's weights. */
  momentum: z.number().min(0).max(1).default(0.9),
  score: GrowthScore.default('contrastive-loss'),
  /** Pairs of the pool held out (never trained on) to score candidates by contrastive loss. */
  heldOut: boundedInt(8, 100_000).default(256),
  /** The eval set scoring by zero-shot uses (default: the first of `evalSets`). */
  scoreEvalSet: z.string().min(1).max(200).optional(),
  /**
   * Share of the pool that is old data replayed (the platform builds the pool: new shards plus
   * this share of old ones); the trainer trains on the pool it is given.
   */
  replay: z.number().min(0).max(1).default(0.3),
});
export type GrowthSpec = z.infer<typeof GrowthSpec>;

/** One candidate child as trained and scored in a growth step. */
export const GrowthCandidate = z.looseObject({
  /** Short label, e.g. `image+1block`, `text-widen×1.5`, `shared+1block`. */
  name: z.string().min(1).max(200),
  operator: GrowthOperator,
  /** The child's model config (the trainer's `ModelConfig`, as stored in checkpoints). */
  architecture: z.record(z.string(), z.unknown()),
  gflopsPerSample: z.number().min(0),
  /** The same per tower (absent in growth steps recorded before it was). */
  forwardGflops: ForwardGflops.optional(),
  params: z.number().int().min(0),
  /** The proxy score after the proxy budget (see `GrowthStepData.score`). */
  score: z.number(),
  proxySteps: z.number().int().min(0),
  seconds: z.number().min(0),
});
export type GrowthCandidate = z.infer<typeof GrowthCandidate>;

/** The `data` of a `growth` run event: one growth step of a run. */
export const GrowthStepData = z
  .looseObject({
    /** The run step at which the chosen child continues training. */
    step: z.number().int().min(0),
    /** The parent checkpoint: its id (worker mode) or its path (standalone). */
    parentCheckpoint: z.string().min(1).max(4096),
    parentArchitecture: z.record(z.string(), z.unknown()),
    parentGflopsPerSample: z.number().min(0),
    parentParams: z.number().int().min(0),
    /** The parent's score on the same held-out data, before growing. */
    parentScore: z.number().optional(),
    score: GrowthScore,
    momentum: z.number().min(0).max(1),
    candidates: z.array(GrowthCandidate).min(1).max(1000),
    /** Index into `candidates` of the child that continues. */
    chosen: z.number().int().min(0),
  })
  .refine((g) => g.chosen < g.candidates.length, {
    message: 'chosen must index one of the candidates',
    path: ['chosen'],
  });
export type GrowthStepData = z.infer<typeof GrowthStepData>;

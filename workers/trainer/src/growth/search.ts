// The growth search (METHODS.md §3): each candidate child starts from the parent by inheritance
// and PIM, with the parent's optimiser state carried, trains for the proxy budget on the same
// batches as the others, and is scored on the same held-out data; the best one continues (its
// proxy training is kept). Every candidate is recorded for the `growth` run event.
import type { GrowthCandidate, GrowthSpec, RunSpec } from '@curio/contracts';
import type { CaptionSample } from '@curio/webdataset';
import { offlineFeed, type FeedCommon } from '../loop/data-feed.js';
import { batchStep } from '../loop/batch-step.js';
import { createOptimizer } from '../loop/setup.js';
import { modelOfConfig, type ClipModel } from '../model/index.js';
import { lrAt, type AdamW, type OptimizerState } from '../optim/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import type { GrowthChild } from './children.js';
import type { Scorer } from './held-out.js';
import { carryOptimizerState, inheritWeights } from './inherit.js';

export interface SearchInput {
  spec: RunSpec & { growth: GrowthSpec };
  parent: { model: ClipModel; optimizer: OptimizerState; tokenizer: Tokenizer };
  children: readonly GrowthChild[];
  /** The pairs candidates train on (see ./held-out.ts). */
  train: readonly CaptionSample[];
  scorer: Scorer;
  common: FeedCommon;
  log: (message: string) => void;
}

export interface Grown {
  model: ClipModel;
  optimizer: AdamW;
  candidates: GrowthCandidate[];
  chosen: number;
}

/** The child `c` with inherited weights (PIM) and carried optimiser state. */
export function inheritedChild(
  c: GrowthChild,
  spec: RunSpec & { growth: GrowthSpec },
  parent: SearchInput['parent'],
): { model: ClipModel; optimizer: AdamW } {
  const model = modelOfConfig(c.config, spec.model, spec.seed);
  inheritWeights(model, parent.model, spec.growth.momentum);
  const optimizer = createOptimizer(model, spec);
  optimizer.importState(carryOptimizerState(model, parent.model, parent.optimizer));
  return { model, optimizer };
}

/** Proxy training: `proxy.steps` steps and/or `proxy.minutes`, whichever ends first. */
async function proxyTrain(
  input: SearchInput,
  t: { model: ClipModel; optimizer: AdamW },
): Promise<number> {
  const { spec, train, common } = input;
  const { steps, minutes } = spec.growth.proxy;
  const maxSteps = steps ?? Number.POSITIVE_INFINITY;
  // Every candidate sees the same batches: one plan over the train pairs, replanned each round.
  const feed = offlineFeed(async () => train, steps ?? 100, common);
  const schedule = {
    baseLr: spec.training.lr,
    warmupSteps: Math.min(spec.training.warmupSteps, Math.floor((steps ?? 100) / 4)),
    totalSteps: 0,
  };
  const started = performance.now();
  let step = 0;
  try {
    while (step < maxSteps) {
      if (minutes !== undefined && performance.now() - started >= minutes * 60_000) break;
      const batch = await feed.next(step);
      const parts = { ...t, tokenizer: input.parent.tokenizer };
      const { loss } = batchStep(parts, batch, spec, step, lrAt(step, schedule));
      if (!Number.isFinite(loss))
        throw new Error(`growth: proxy training diverged at step ${step}`);
      step++;
    }
  } finally {
    await feed.close();
  }
  return step;
}

export async function growthSearch(input: SearchInput): Promise<Grown> {
  const { children, scorer, log } = input;
  if (children.length === 0)
    throw new Error('growth: no candidate child fits the budget (growth.budget, growth.operators)');
  const candidates: GrowthCandidate[] = [];
  let best: (Grown & { score: number }) | undefined;
  for (const c of children) {
    const started = performance.now();
    const t = inheritedChild(c, input.spec, input.parent);
    const proxySteps = await proxyTrain(input, t);
    const score = await scorer.score(t.model);
    const seconds = (performance.now() - started) / 1000;
    const { name, operator, config, gflopsPerSample, forwardGflops, params } = c;
    candidates.push({
      name,
      operator,
      architecture: config,
      gflopsPerSample,
      forwardGflops,
      params,
      score,
      proxySteps,
      seconds,
    });
    log(
      `growth candidate ${name}: ${scorer.kind} ${score.toFixed(4)} after ${proxySteps} steps (${seconds.toFixed(1)}s)`,
    );
    if (!best || scorer.better(score, best.score)) {
      best?.model.dispose();
      best?.optimizer.dispose();
      best = { ...t, score, candidates, chosen: candidates.length - 1 };
    } else {
      t.model.dispose();
      t.optimizer.dispose();
    }
  }
  const { model, optimizer, chosen } = best!;
  return { model, optimizer, candidates, chosen };
}

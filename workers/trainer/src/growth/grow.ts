// A growth run's start: read the parent checkpoint (`growth.parent`), sample the pool for the
// search, build the children the space and budget allow, search, and hand the chosen child to the
// job with the `growth` event's data. A resumed growth run does not come here: its checkpoint
// holds the grown architecture.
import type { GrowthSpec, GrowthStepData, ModelInit, RunSpec } from '@curio/contracts';
import type { DataStats, PoolShard } from '@curio/webdataset';
import type { CheckpointSource } from '../checkpoint/checkpoint.js';
import { prepareEvalSet } from '../eval/evaluate.js';
import { feedCommon } from '../loop/data-feed.js';
import { readInit, type Trainables } from '../loop/setup.js';
import { forwardGflops, ModelConfig, modelOfConfig } from '../model/index.js';
import { Tokenizer } from '../tokenizer/index.js';
import { growthChildren, growthScale } from './children.js';
import { sampleProxyData, scorer } from './held-out.js';
import { growthSearch } from './search.js';

/** Pairs sampled for candidates' proxy training at most (the proxy budget is small). */
const MAX_PROXY_PAIRS = 20_000;

export type GrowthRunSpec = RunSpec & { growth: GrowthSpec };

/** How checkpoints and the `growth` event name the parent: its id, or its path standalone. */
export function parentLabel(parent: ModelInit): string {
  if (typeof parent === 'string') return parent;
  return 'checkpoint' in parent ? parent.checkpoint : `run ${parent.run}`;
}

export interface GrowthStart {
  trainables: Trainables;
  growth: GrowthStepData;
}

export async function grownTrainables(
  spec: GrowthRunSpec,
  shards: readonly PoolShard[],
  stats: DataStats,
  initSource: CheckpointSource | undefined,
  log: (message: string) => void,
): Promise<GrowthStart> {
  const g = spec.growth;
  const contents = await readInit(g.parent, initSource);
  const parentConfig = ModelConfig.parse(contents.state.modelConfig);
  if (parentConfig.joint)
    throw new Error(
      'growth.parent has a joint module (model.joint), which growth does not grow: grow a parent without one',
    );
  const tokenizer = Tokenizer.fromJSON(contents.tokenizer);
  const parent = modelOfConfig(parentConfig, spec.model, spec.seed);
  try {
    parent.loadWeights(contents.weights);
    const size = parentConfig.image.size;
    const batchSize = spec.training.batchSize;
    const proxyPairs = Math.min((g.proxy.steps ?? 100) * batchSize, MAX_PROXY_PAIRS);
    const data = await sampleProxyData(shards, {
      heldOut: g.heldOut,
      train: proxyPairs,
      seed: spec.seed,
      imageSize: size,
      stats,
    });
    const scale = growthScale(g.space, g.newSamples ?? data.poolPairs);
    const children = growthChildren(parentConfig, g, scale);
    log(`growth: ${children.length} candidate children of ${parentConfig.name} (scale ${scale})`);
    const evalName = g.scoreEvalSet ?? spec.evalSets[0]?.name;
    const evalSpec = spec.evalSets.find((e) => e.name === evalName);
    const evalSet =
      g.score === 'zero-shot' && evalSpec
        ? await prepareEvalSet(evalSpec, size, spec.eval.maxSamples)
        : undefined;
    const score = scorer(g.score, tokenizer, data.heldOut, batchSize, evalSet);
    const parentScore = await score.score(parent);
    const grown = await growthSearch({
      spec,
      parent: {
        model: parent,
        tokenizer,
        optimizer: { step: contents.state.optimizerStep, tensors: contents.optimizer },
      },
      children,
      train: data.train,
      scorer: score,
      common: feedCommon(spec, size, stats),
      log,
    });
    return {
      trainables: { tokenizer, model: grown.model, optimizer: grown.optimizer },
      growth: {
        step: 0,
        parentCheckpoint: parentLabel(g.parent),
        parentArchitecture: parentConfig,
        parentGflopsPerSample: forwardGflops(parentConfig),
        parentParams: parent.numParams(),
        parentScore,
        score: g.score,
        momentum: g.momentum,
        candidates: grown.candidates,
        chosen: grown.chosen,
      },
    };
  } finally {
    parent.dispose();
  }
}

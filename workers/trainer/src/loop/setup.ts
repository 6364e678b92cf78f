// The pieces a job trains: tokenizer, model and optimiser, fresh from the spec or restored from a
// checkpoint, plus tower initialisation from other checkpoints (LiT-style locking lives in the
// model's `trainable` settings).
import type { ModelInit, RunSpec } from '@curio/contracts';
import { LocalBlobStore, type BlobStore } from '../checkpoint/blob-store.js';
import {
  latestCheckpoint,
  loadCheckpoint,
  type CheckpointContents,
  type CheckpointSource,
} from '../checkpoint/checkpoint.js';
import { captionStream, type DataStats, type PoolShard } from '@curio/webdataset';
import { ClipModel, createModel, ModelConfig, modelConfig, modelOfConfig } from '../model/index.js';
import { AdamW } from '../optim/index.js';
import { Tokenizer, trainBpe } from '../tokenizer/index.js';

export interface Trainables {
  tokenizer: Tokenizer;
  model: ClipModel;
  optimizer: AdamW;
}

export function createOptimizer(model: ClipModel, spec: RunSpec): AdamW {
  const t = spec.training;
  return new AdamW(model.trainableVariables(), {
    beta1: t.beta1,
    beta2: t.beta2,
    eps: t.eps,
    weightDecay: t.weightDecay,
    gradClip: t.gradClip,
    decays: (name) => model.decays(name),
  });
}

async function firstCaptions(
  shards: readonly PoolShard[],
  count: number,
  stats: DataStats,
): Promise<string[]> {
  const out: string[] = [];
  for await (const s of captionStream(shards, { stats })) {
    out.push(s.caption);
    if (out.length >= count) break;
  }
  if (out.length === 0)
    throw new Error('the pool has no captioned samples to train a tokenizer on');
  return out;
}

/**
 * A tower's `init` or a growth run's `growth.parent`: a path (a checkpoint folder, or a folder of them: its newest) standalone; a
 * `{ checkpoint }` the API resolved, read from `byReference` (worker mode).
 */
export async function readInit(
  init: ModelInit,
  byReference: CheckpointSource | undefined,
): Promise<CheckpointContents> {
  if (typeof init === 'string') return readInitFolder(init);
  if ('checkpoint' in init && byReference) return loadCheckpoint(byReference, init.checkpoint);
  throw new Error(
    `model init ${JSON.stringify(init)}: a checkpoint reference is resolved by the API (a run it creates); standalone, name a checkpoint folder`,
  );
}

async function readInitFolder(location: string): Promise<CheckpointContents> {
  const direct = new LocalBlobStore(location);
  if (await direct.exists('state.json')) {
    const parent = new LocalBlobStore(`${location}/..`);
    return loadCheckpoint(parent, location.split('/').filter(Boolean).at(-1) as string);
  }
  const nested = await latestCheckpoint(direct);
  if (!nested) throw new Error(`model init ${location}: no Curio checkpoint there`);
  return loadCheckpoint(direct, nested);
}

export async function freshTrainables(
  spec: RunSpec,
  shards: readonly PoolShard[],
  stats: DataStats,
  initSource?: CheckpointSource,
): Promise<Trainables> {
  const preset = modelConfig(spec.model.preset);
  const { image, text } = spec.model;
  const textInit = text.init ? await readInit(text.init, initSource) : undefined;
  const imageInit = image.init ? await readInit(image.init, initSource) : undefined;
  // A text tower from a checkpoint brings its own tokenizer; otherwise train one on the pool.
  const tokenizer = textInit
    ? Tokenizer.fromJSON(textInit.tokenizer)
    : trainBpe(await firstCaptions(shards, spec.tokenizer.trainCaptions, stats), {
        vocabSize: Math.min(spec.tokenizer.vocabSize ?? preset.text.vocab, preset.text.vocab),
      });
  const model = createModel(spec.model, { seed: spec.seed, vocabSize: tokenizer.vocabSize });
  if (textInit) model.loadWeights(textInit.weights, 'text/');
  if (imageInit) model.loadWeights(imageInit.weights, 'image/');
  return { tokenizer, model, optimizer: createOptimizer(model, spec) };
}

export async function restoredTrainables(
  spec: RunSpec,
  store: BlobStore,
  key: string,
): Promise<Trainables & { checkpoint: CheckpointContents }> {
  const checkpoint = await loadCheckpoint(store, key);
  const tokenizer = Tokenizer.fromJSON(checkpoint.tokenizer);
  // The checkpoint's own architecture: a grown model is not its preset any more.
  const config = ModelConfig.parse(checkpoint.state.modelConfig);
  const model = modelOfConfig(config, spec.model, spec.seed);
  model.loadWeights(checkpoint.weights);
  const optimizer = createOptimizer(model, spec);
  optimizer.importState({ step: checkpoint.state.optimizerStep, tensors: checkpoint.optimizer });
  return { tokenizer, model, optimizer, checkpoint };
}

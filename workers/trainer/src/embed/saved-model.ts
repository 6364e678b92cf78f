// A model saved by a run, as the commands that use one (embed, classify, export) open it: from a
// checkpoint folder (`…/checkpoints/00000100`) or a run folder (its newest checkpoint).
import { basename, dirname, resolve } from 'node:path';
import { LocalBlobStore } from '../checkpoint/blob-store.js';
import {
  latestCheckpoint,
  loadCheckpoint,
  type CheckpointContents,
} from '../checkpoint/checkpoint.js';
import { ClipModel } from '../model/index.js';
import { Tokenizer } from '../tokenizer/index.js';

export interface SavedCheckpoint {
  /** The checkpoint folder read. */
  dir: string;
  contents: CheckpointContents;
}

export async function readCheckpointDir(location: string): Promise<SavedCheckpoint> {
  const dir = resolve(location);
  if (await new LocalBlobStore(dir).exists('state.json'))
    return { dir, contents: await loadCheckpoint(new LocalBlobStore(dirname(dir)), basename(dir)) };
  const runDir = basename(dir) === 'checkpoints' ? dirname(dir) : dir;
  const store = new LocalBlobStore(runDir);
  const newest = await latestCheckpoint(store).catch(() => undefined);
  if (!newest)
    throw new Error(
      `${location} is not a Curio checkpoint (no state.json) nor a run folder with checkpoints/`,
    );
  return { dir: resolve(runDir, newest), contents: await loadCheckpoint(store, newest) };
}

export interface SavedModel extends SavedCheckpoint {
  model: ClipModel;
  tokenizer: Tokenizer;
}

/** The checkpoint's model with its weights and tokenizer (a tfjs backend must be running). */
export async function loadSavedModel(location: string): Promise<SavedModel> {
  const saved = await readCheckpointDir(location);
  const { state, weights, tokenizer } = saved.contents;
  const model = new ClipModel(state.modelConfig, {
    seed: 0,
    textPooling: state.spec.model.textPooling,
    temperature: state.spec.model.temperature,
  });
  model.loadWeights(weights);
  return { ...saved, model, tokenizer: Tokenizer.fromJSON(tokenizer) };
}

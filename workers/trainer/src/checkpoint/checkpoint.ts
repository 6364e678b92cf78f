// A training checkpoint: weights, optimiser state, tokenizer, config and where the data stood,
// written through a BlobStore under `checkpoints/<step>/`. Resuming from one continues the run
// exactly (randomness is derived from (seed, step), so only positions need keeping).
import type { ForwardGflops, RunSpec } from '@curio/contracts';
import type { PoolPosition } from '@curio/webdataset';
import type { PoolBatcherState, SourceWeightsState } from '../data/index.js';
import type { ModelConfig } from '../model/index.js';
import type { BlobStore } from './blob-store.js';
import type { WarmState } from '../curation/warm-signal.js';
import type { WordScorerState } from '../curation/word-scorer.js';
import { packArrays, unpackArrays, type NamedArray } from './tensor-pack.js';

/** A CiT round a checkpoint was taken in the middle of: its first step and its pairs, in order. */
export interface RoundState {
  start: number;
  /** Steps the round trains for (checkpoints from before rounds varied: `curation.interval`). */
  steps?: number;
  keptIds: string[];
  /** The rejected pairs the round mixes in (`curation.explore`). */
  exploreIds: string[];
}

/** Where the training data stood after the checkpoint's last step. */
export type DataState =
  | {
      mode: 'none';
      batcher: PoolBatcherState;
      /** Adaptive source weights: the weights in force and the held-out losses they came from. */
      sourceWeights?: SourceWeightsState;
    }
  | {
      mode: 'cit';
      position: PoolPosition;
      /** The warm signal (a bare boolean in checkpoints from before it was smoothed). */
      warm: WarmState | boolean;
      /** The cap on the model's additions (absent before the handover only added). */
      capShare?: number;
      /** The word scorer that aims the image probe (absent until the model first added). */
      wordScorer?: WordScorerState;
      rounds: number;
      round?: RoundState;
    }
  | { mode: 'offline'; keptIds: string[] };

export interface CheckpointState {
  /** Steps completed. */
  step: number;
  spec: RunSpec;
  modelConfig: ModelConfig;
  /** Forward GFLOPs per sample of each tower of `modelConfig` (absent in older checkpoints). */
  forwardGflops?: ForwardGflops;
  optimizerStep: number;
  data: DataState;
  /** Training wall time so far, across resumes. */
  elapsedSeconds: number;
  /** The checkpoint this run was resumed from, if any. */
  parent?: string;
  /** A growth run's parent checkpoint, the model this one grew from (its id, or path standalone). */
  parentCheckpoint?: string;
  /** Zero-shot top-1 on the target eval set at this step, when it was evaluated (retention). */
  targetTop1?: number;
  savedAt: string;
}

export interface CheckpointContents {
  state: CheckpointState;
  weights: Map<string, Float32Array>;
  optimizer: Record<string, Float32Array>;
  tokenizer: unknown;
}

const PREFIX = 'checkpoints/';
const stepDir = (step: number) => `${PREFIX}${String(step).padStart(8, '0')}`;

/** Writes a checkpoint; the state file goes last, so a checkpoint without it is incomplete. */
export async function saveCheckpoint(
  store: BlobStore,
  c: CheckpointContents,
): Promise<{ key: string; sizeBytes: number }> {
  const dir = stepDir(c.state.step);
  const shapeless = (m: Iterable<[string, Float32Array]>) =>
    new Map<string, NamedArray>([...m].map(([k, v]) => [k, { shape: [v.length], data: v }]));
  const weights = packArrays(shapeless(c.weights));
  const optimizer = packArrays(shapeless(Object.entries(c.optimizer)));
  const tokenizer = new TextEncoder().encode(JSON.stringify(c.tokenizer));
  const state = new TextEncoder().encode(JSON.stringify(c.state, null, 1));
  await store.put(`${dir}/weights.bin`, weights);
  await store.put(`${dir}/optimizer.bin`, optimizer);
  await store.put(`${dir}/tokenizer.json`, tokenizer);
  await store.put(`${dir}/state.json`, state);
  return {
    key: dir,
    sizeBytes: weights.length + optimizer.length + tokenizer.length + state.length,
  };
}

/** The keys of the complete checkpoints in a store, oldest step first. */
export async function listCheckpoints(store: BlobStore): Promise<string[]> {
  const complete = (await store.list(PREFIX)).filter((k) => k.endsWith('/state.json'));
  return complete.map((k) => k.replace(/\/state\.json$/, ''));
}

/** The newest complete checkpoint's key, or undefined. */
export async function latestCheckpoint(store: BlobStore): Promise<string | undefined> {
  return (await listCheckpoints(store)).at(-1);
}

/** What reading a checkpoint needs of a store (a read-only one will do). */
export type CheckpointSource = Pick<BlobStore, 'uri' | 'get'>;

async function readJson(store: CheckpointSource, key: string, name: string): Promise<unknown> {
  const bytes = await store.get(`${key}/${name}`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new Error(`checkpoint ${store.uri}/${key}: ${name} is not valid JSON`);
  }
}

/** A checkpoint's state.json alone (no weights). */
export async function readCheckpointState(
  store: CheckpointSource,
  key: string,
): Promise<CheckpointState> {
  const state = (await readJson(store, key, 'state.json')) as CheckpointState;
  if (typeof state?.step !== 'number' || !state.modelConfig || !state.data) {
    throw new Error(`checkpoint ${store.uri}/${key}: state.json lacks step, modelConfig or data`);
  }
  return state;
}

export async function loadCheckpoint(
  store: CheckpointSource,
  key: string,
): Promise<CheckpointContents> {
  const where = `${store.uri}/${key}`;
  const state = await readCheckpointState(store, key);
  const flat = (m: Map<string, NamedArray>) =>
    new Map([...m].map(([k, v]) => [k, v.data as Float32Array]));
  const weights = flat(
    unpackArrays(await store.get(`${key}/weights.bin`), `checkpoint ${where} weights.bin`),
  );
  const optimizer = Object.fromEntries(
    flat(
      unpackArrays(await store.get(`${key}/optimizer.bin`), `checkpoint ${where} optimizer.bin`),
    ),
  );
  return { state, weights, optimizer, tokenizer: await readJson(store, key, 'tokenizer.json') };
}

// One optimiser step on a decoded batch with a run spec's loss settings (direction, mixup,
// sub-batch): what the job's loop and a growth candidate's proxy training both take.
import * as tf from '@tensorflow/tfjs';
import type { RunSpec } from '@curio/contracts';
import { Rng } from '@curio/random';
import type { DecodedTrainingBatch } from '../data/index.js';
import { drawMixup } from '../loss/index.js';
import type { ClipModel } from '../model/index.js';
import type { AdamW } from '../optim/index.js';
import type { Tokenizer } from '../tokenizer/index.js';
import { trainStep, type TrainStepResult } from './train-step.js';

export interface StepParts {
  model: ClipModel;
  optimizer: AdamW;
  tokenizer: Tokenizer;
}

/** The contrastive temperature τ the model holds now: 1 / its logit scale. */
export function temperatureOf(model: ClipModel): number {
  const scale = model.logitScale();
  try {
    return 1 / scale.dataSync()[0]!;
  } finally {
    scale.dispose();
  }
}

/** Trains on `batch` as step `step` (0-based; seeds the mixup draw) at rate `lr`. */
export function batchStep(
  t: StepParts,
  batch: DecodedTrainingBatch,
  spec: RunSpec,
  step: number,
  lr: number,
): TrainStepResult {
  const { model, tokenizer } = t;
  const n = batch.samples.length;
  const size = model.config.image.size;
  const context = model.config.text.context;
  const images = tf.tensor4d(batch.pixels, [n, size, size, 3]);
  const tokens = tf.tensor2d(tokenizer.encodeBatch(batch.captions, context), [n, context], 'int32');
  const mixup = spec.training.mixup.enabled
    ? drawMixup(Rng.derive(spec.seed, 'mixup', step), spec.training.mixup.alpha)
    : undefined;
  const sub = spec.training.subBatch;
  const joint = spec.model.joint;
  try {
    return trainStep(
      model,
      t.optimizer,
      { images, tokens },
      {
        direction: spec.training.lossDirection,
        lr,
        ...(mixup ? { mixup } : {}),
        ...(sub !== undefined && sub < n && n % sub === 0 ? { subBatch: sub } : {}),
        ...(joint
          ? {
              pairMatching: {
                weight: joint.lossWeight,
                negatives: joint.negatives,
                rng: Rng.derive(spec.seed, 'joint-negatives', step),
              },
            }
          : {}),
      },
    );
  } finally {
    images.dispose();
    tokens.dispose();
  }
}

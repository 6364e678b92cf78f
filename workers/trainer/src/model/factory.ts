// Names to models: the only reader of the JSON architecture configs in `configs/`.
import { formatIssues, type ModelSpec } from '@curio/contracts';
import base from './configs/base.json' with { type: 'json' };
import small from './configs/small.json' with { type: 'json' };
import tiny from './configs/tiny.json' with { type: 'json' };
import { ClipModel } from './clip-model.js';
import { ModelConfig } from './config.js';

export type Preset = ModelSpec['preset'];

const RAW: Record<Preset, unknown> = { tiny, small, base };

export const PRESETS = Object.keys(RAW) as Preset[];

/** The checked architecture of a preset. */
export function modelConfig(preset: Preset): ModelConfig {
  const raw = RAW[preset];
  if (raw === undefined)
    throw new Error(`unknown model preset ${String(preset)} (known: ${PRESETS.join(', ')})`);
  const parsed = ModelConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`model config ${preset}: ${parsed.error.message}`);
  return parsed.data;
}

export interface CreateModelOptions {
  seed: number;
  /** The tokenizer's vocabulary size; must not exceed the preset's (the embedding is cut to it). */
  vocabSize?: number;
}

/** Build the model a run spec's `model` section describes (towers' `init` is loaded by the caller). */
export function createModel(spec: ModelSpec, options: CreateModelOptions): ClipModel {
  let config = modelConfig(spec.preset);
  if (options.vocabSize !== undefined) {
    if (options.vocabSize > config.text.vocab) {
      throw new Error(
        `vocabulary of ${options.vocabSize} exceeds preset ${spec.preset}'s ${config.text.vocab}`,
      );
    }
    config = { ...config, text: { ...config.text, vocab: options.vocabSize } };
  }
  return modelOfConfig(withJoint(withTokenLearners(config, spec), spec), spec, options.seed);
}

/** The architecture with the spec's joint module (its `tokens` and `stages`), checked. */
export function withJoint(config: ModelConfig, spec: ModelSpec): ModelConfig {
  if (!spec.joint) return config;
  const { tokens, stages } = spec.joint;
  const parsed = ModelConfig.safeParse({ ...config, joint: { tokens, stages } });
  if (!parsed.success) throw new Error(`model ${config.name}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

/** The preset's architecture with the spec's token learners, checked against its towers. */
export function withTokenLearners(config: ModelConfig, spec: ModelSpec): ModelConfig {
  const { image, text } = spec;
  if (!image.tokenLearner && !text.tokenLearner) return config;
  const parsed = ModelConfig.safeParse({
    ...config,
    image: { ...config.image, tokenLearner: image.tokenLearner },
    text: { ...config.text, tokenLearner: text.tokenLearner },
  });
  if (!parsed.success) throw new Error(`model ${config.name}: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * A model of a given architecture (a checkpoint's, a growth child's) with the spec's settings
 * (pooling, temperature, trainable towers); its weights are the seed's fresh initialisation.
 */
export function modelOfConfig(config: ModelConfig, spec: ModelSpec, seed: number): ClipModel {
  return new ClipModel(config, {
    seed,
    textPooling: spec.textPooling,
    temperature: spec.temperature,
    imageTrainable: spec.image.trainable,
    textTrainable: spec.text.trainable,
  });
}

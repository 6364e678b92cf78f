import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelSpec, PRESET_TOWERS, PRESETS_WITHOUT_JOINT } from '@curio/contracts';
import { imagePatches, ModelConfig } from './config.js';
import { createModel, modelConfig, PRESETS } from './factory.js';
import { forwardFlops, forwardGflops, towerForwardFlops } from './flops.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('presets', () => {
  it("match the contract's list of presets the joint module cannot use (towers of two widths)", () => {
    for (const preset of PRESETS) {
      const { image, text } = modelConfig(preset);
      expect(PRESETS_WITHOUT_JOINT.includes(preset), preset).toBe(image.width !== text.width);
    }
  });

  it("match the contract's table the run spec checks token learners against", () => {
    for (const preset of PRESETS) {
      const { image, text } = modelConfig(preset);
      expect(PRESET_TOWERS[preset]).toEqual({
        image: { depth: image.depth, positions: imagePatches(image) },
        text: { depth: text.depth, positions: text.context },
      });
    }
  });

  it('are exactly the architectures of the issue', () => {
    expect(PRESETS).toEqual(['tiny', 'small', 'base']);
    const tiny = modelConfig('tiny');
    expect(tiny.image).toMatchObject({
      size: 32,
      patch: 4,
      width: 128,
      depth: 4,
      heads: 4,
      mlpRatio: 4,
    });
    expect(tiny.text).toMatchObject({
      context: 32,
      vocab: 4096,
      width: 128,
      depth: 4,
      heads: 4,
      mlpRatio: 4,
    });
    expect(tiny.embedDim).toBe(128);
    const small = modelConfig('small');
    expect(small.image).toMatchObject({ size: 64, patch: 8, width: 256, depth: 6, heads: 8 });
    expect(small.text).toMatchObject({ context: 32, vocab: 8192, width: 256, depth: 6, heads: 8 });
    expect(small.embedDim).toBe(256);
    const base = modelConfig('base');
    expect(base.image).toMatchObject({ size: 224, patch: 16, width: 768, depth: 12, heads: 12 });
    expect(base.text).toMatchObject({ context: 77, vocab: 49408, width: 512, depth: 12, heads: 8 });
    expect(base.embedDim).toBe(512);
  });

  it('report forward GFLOPs with the PyTorch peer’s formula (torch_clip.py fwd_flops)', () => {
    expect(forwardFlops(modelConfig('tiny'))).toBe(164169728);
    expect(forwardFlops(modelConfig('small'))).toBe(954210304);
    expect(forwardGflops(modelConfig('base'))).toBeGreaterThan(35);
  });

  it('counts fewer FLOPs with mean pooling (no class token)', () => {
    const tiny = modelConfig('tiny');
    const mean = ModelConfig.parse({ ...tiny, image: { ...tiny.image, pool: 'mean' } });
    expect(forwardFlops(mean)).toBeLessThan(forwardFlops(tiny));
  });

  it('reject an inconsistent architecture with the field named', () => {
    const bad = ModelConfig.safeParse({
      ...modelConfig('tiny'),
      image: { ...modelConfig('tiny').image, patch: 5 },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['image', 'patch']);
  });
});

describe('createModel', () => {
  it('builds the model a run spec describes, with a smaller tokenizer vocabulary', () => {
    const spec = ModelSpec.parse({
      preset: 'tiny',
      image: { trainable: 'head' },
      temperature: { kind: 'fixed', value: 0.02 },
    });
    const m = createModel(spec, { seed: 0, vocabSize: 1000 });
    expect(m.config.text.vocab).toBe(1000);
    expect(m.variables().get('text/tok_emb')!.shape).toEqual([1000, 128]);
    expect(m.learnsTemperature).toBe(false);
    expect([...m.trainableVariables().keys()].some((n) => n.startsWith('image/blocks'))).toBe(
      false,
    );
    expect(() => createModel(spec, { seed: 0, vocabSize: 5000 })).toThrow(/exceeds/);
    m.dispose();
  });

  it("builds the spec's token learners into the preset's architecture", () => {
    const spec = ModelSpec.parse({
      preset: 'tiny',
      image: { tokenLearner: { at: 2, tokens: 8 } },
      text: { tokenLearner: { at: 2, tokens: 8 } },
    });
    const m = createModel(spec, { seed: 0 });
    expect(m.config.image.tokenLearner).toEqual({ at: 2, tokens: 8 });
    expect(m.variables().get('text/token_learner/score/w')!.shape).toEqual([64, 8]);
    // the issue's target: K = 8 at the middle cuts the image tower's forward FLOPs by ≥ 33%
    const cut =
      1 - towerForwardFlops(m.config).image / towerForwardFlops(modelConfig('tiny')).image;
    expect(cut).toBeGreaterThan(0.33);
    m.dispose();
  });

  it("builds the spec's joint module (its architecture only: K and stages)", () => {
    const spec = ModelSpec.parse({ preset: 'tiny', joint: { tokens: 8, stages: 3 } });
    const m = createModel(spec, { seed: 0 });
    expect(m.config.joint).toEqual({ tokens: 8, stages: 3 });
    expect(m.hasJoint).toBe(true);
    expect(m.variables().get('joint/blocks/2/attn/qkv/w')!.shape).toEqual([128, 384]);
    expect(createModel(ModelSpec.parse({ preset: 'tiny' }), { seed: 0 }).hasJoint).toBe(false);
    m.dispose();
  });
});

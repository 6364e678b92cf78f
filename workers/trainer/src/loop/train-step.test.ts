import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LossDirection } from '../loss/contrastive.js';
import type { Mixup } from '../loss/mixup.js';
import { Rng } from '@curio/random';
import { ClipModel } from '../model/clip-model.js';
import { ModelConfig } from '../model/config.js';
import { microConfig } from '../model/micro.js';
import { AdamW } from '../optim/adamw.js';
import { computeGradients, trainStep, type TrainBatch } from './train-step.js';

let batch: TrainBatch;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const lengths = [6, 2, 4, 1, 5, 3, 6, 2];
  batch = {
    images: tf.randomUniform([8, 8, 8, 3], 0, 1, 'float32', 11) as tf.Tensor4D,
    tokens: tf.tensor2d(
      lengths.map((len, i) =>
        Array.from({ length: 6 }, (_, k) => (k < len ? 1 + ((i * 7 + k * 5) % 23) : 0)),
      ),
      undefined,
      'int32',
    ),
  };
});
afterAll(() => tf.dispose([batch.images, batch.tokens]));

function relDiff(a: Map<string, tf.Tensor>, b: Map<string, tf.Tensor>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let worst = 0;
  for (const [name, ga] of a) {
    const gb = b.get(name)!;
    const diff = tf.max(tf.abs(tf.sub(ga, gb))).dataSync()[0]!;
    const scale = Math.max(tf.max(tf.abs(gb)).dataSync()[0]!, 1e-3);
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

describe('decoupled gradient accumulation', () => {
  const mixups: [string, Mixup | undefined][] = [
    ['no mixup', undefined],
    ['image mixup', { lambda: 0.3, side: 'image' }],
    ['text mixup', { lambda: 0.8, side: 'text' }],
  ];
  const directions: LossDirection[] = ['symmetric', 'image-to-text'];
  const cases = mixups.flatMap(([label, mixup]) =>
    directions.map((d) => [label, d, mixup] as const),
  );

  it.each(cases)('gives the full-batch gradients (%s, %s)', (_, direction, mixup) => {
    const model = new ClipModel(microConfig(), { seed: 5, textPooling: 'eot' });
    const opts = { direction, ...(mixup ? { mixup } : {}) };
    const full = computeGradients(model, batch, opts);
    expect(full.grads.size).toBe(model.trainableVariables().size);
    for (const subBatch of [2, 4]) {
      const dga = computeGradients(model, batch, { ...opts, subBatch });
      expect(dga.loss).toBeCloseTo(full.loss, 5);
      expect(relDiff(dga.grads, full.grads)).toBeLessThan(2e-5);
      tf.dispose([...dga.grads.values()]);
    }
    tf.dispose([...full.grads.values()]);
    model.dispose();
  });

  it('honours frozen towers and a fixed temperature', () => {
    const model = new ClipModel(microConfig({ imagePool: 'mean' }), {
      seed: 6,
      imageTrainable: 'head',
      textTrainable: 'none',
      temperature: { kind: 'fixed', value: 0.05 },
    });
    const opts = { direction: 'symmetric' as const, mixup: { lambda: 0.6, side: 'text' as const } };
    const full = computeGradients(model, batch, opts);
    const dga = computeGradients(model, batch, { ...opts, subBatch: 4 });
    expect([...full.grads.keys()].sort()).toEqual([
      'image/ln_final/b',
      'image/ln_final/g',
      'image/proj/w',
    ]);
    expect(relDiff(dga.grads, full.grads)).toBeLessThan(2e-5);
    tf.dispose([...full.grads.values(), ...dga.grads.values()]);
    model.dispose();
  });

  it('rejects a sub-batch that does not divide the batch', () => {
    const model = new ClipModel(microConfig(), { seed: 5 });
    expect(() => computeGradients(model, batch, { direction: 'symmetric', subBatch: 3 })).toThrow(
      /must divide/,
    );
    model.dispose();
  });
});

describe('trainStep', () => {
  it.each([undefined, 4])(
    'lowers the loss on a fixed batch (sub-batch %s) and leaks no tensors',
    (subBatch) => {
      const model = new ClipModel(microConfig(), { seed: 7 });
      const opt = new AdamW(model.trainableVariables(), {
        weightDecay: 0.1,
        decays: (n) => model.decays(n),
        gradClip: 5,
      });
      const opts = { direction: 'symmetric' as const, lr: 3e-3, ...(subBatch ? { subBatch } : {}) };
      const first = trainStep(model, opt, batch, opts);
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 7; i++) last = trainStep(model, opt, batch, opts);
      expect(tf.memory().numTensors).toBe(before);
      expect(first.loss).toBeGreaterThan(1.5); // ≈ ln 8 at init
      expect(last.loss).toBeLessThan(first.loss * 0.7);
      expect(Number.isFinite(first.gradNorm) && first.gradNorm > 0).toBe(true);
      opt.dispose();
      model.dispose();
    },
  );
});

describe('the joint module’s pair-matching loss', () => {
  const jointConfig = () =>
    ModelConfig.parse({ ...microConfig(), joint: { tokens: 2, stages: 1 } });

  it('adds its weighted loss and trains the joint module only when weighted', () => {
    const model = new ClipModel(jointConfig(), { seed: 8 });
    const plain = computeGradients(model, batch, { direction: 'symmetric' });
    const pairMatching = { weight: 0.5, negatives: 'hard' as const, rng: new Rng(1) };
    const joint = computeGradients(model, batch, { direction: 'symmetric', pairMatching });
    const isJoint = (n: string) => n.startsWith('joint/');
    expect([...plain.grads.keys()].some(isJoint)).toBe(false);
    expect(joint.grads.size).toBe(model.trainableVariables().size);
    // untrained: every logit near 0, so the matching loss is near ln 2 (0.5 × ln 2 added)
    expect(joint.loss - plain.loss).toBeGreaterThan(0.5 * Math.log(2) - 0.2);
    expect(joint.loss - plain.loss).toBeLessThan(0.5 * Math.log(2) + 0.2);
    tf.dispose([...plain.grads.values(), ...joint.grads.values()]);
    model.dispose();
  });

  it.each(['hard', 'random'] as const)(
    'lowers the loss on a fixed batch (%s negatives) and leaks no tensors',
    (negatives) => {
      const model = new ClipModel(jointConfig(), { seed: 9 });
      const opt = new AdamW(model.trainableVariables(), { weightDecay: 0, decays: () => false });
      const pairMatching = { weight: 1, negatives, rng: new Rng(2) };
      const opts = { direction: 'symmetric' as const, lr: 3e-3, pairMatching };
      const first = trainStep(model, opt, batch, opts);
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 9; i++) last = trainStep(model, opt, batch, opts);
      expect(tf.memory().numTensors).toBe(before);
      expect(last.loss).toBeLessThan(first.loss * 0.75);
      opt.dispose();
      model.dispose();
    },
  );

  it('is refused with a sub-batch or mixup', () => {
    const model = new ClipModel(jointConfig(), { seed: 8 });
    const pairMatching = { weight: 1, negatives: 'hard' as const, rng: new Rng(1) };
    const o = { direction: 'symmetric' as const, pairMatching };
    expect(() => computeGradients(model, batch, { ...o, subBatch: 4 })).toThrow(/whole batch/);
    const mixup = { lambda: 0.5, side: 'text' as const };
    expect(() => computeGradients(model, batch, { ...o, mixup })).toThrow(/unmixed/);
    model.dispose();
  });
});

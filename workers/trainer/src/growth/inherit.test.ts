import * as tf from '@tensorflow/tfjs';
import { GrowthSpec } from '@curio/contracts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClipModel, forwardFlops, parameterCount } from '../model/index.js';
import { microConfig } from '../model/micro.js';
import { AdamW } from '../optim/index.js';
import { growthChildren, growthScale } from './children.js';
import { carryOptimizerState, inheritTensor, inheritWeights } from './inherit.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const models: ClipModel[] = [];
const model = (config: ClipModel['config'], seed: number) => {
  const m = new ClipModel(config, { seed });
  models.push(m);
  return m;
};
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

const growth = (over: Partial<GrowthSpec> = {}) => GrowthSpec.parse({ parent: 'p', ...over });
const images = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
const tokens = tf.tensor2d(
  [
    [5, 6, 7, 0, 0, 0],
    [1, 2, 3, 4, 5, 6],
    [9, 0, 0, 0, 0, 0],
  ],
  undefined,
  'int32',
);
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

describe('inheritTensor (PIM)', () => {
  it('starts the inherited block at m·θ_old + (1−m)·θ_fresh and keeps fresh init elsewhere', () => {
    const fresh = Float32Array.from([10, 20, 30, 40, 50, 60]);
    const parent = { values: Float32Array.from([1, 2, 3, 4]), shape: [2, 2] };
    const out = inheritTensor('image/patch/w', fresh, [2, 3], parent, 0.9);
    const expected = [0.9 * 1 + 1, 0.9 * 2 + 2, 30, 0.9 * 3 + 4, 0.9 * 4 + 5, 60];
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('places q, k and v blocks apart, and zeroes new parts of residual output projections', () => {
    const fresh = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const qkv = inheritTensor(
      't/attn/qkv/b',
      fresh,
      [6],
      { values: Float32Array.from([7, 8, 9]), shape: [3] },
      1,
    );
    expect([...qkv]).toEqual([7, 2, 8, 4, 9, 6]);
    const out = inheritTensor(
      't/attn/out/w',
      fresh,
      [3, 2],
      { values: Float32Array.from([7, 8]), shape: [1, 2] },
      1,
    );
    expect([...out]).toEqual([7, 8, 0, 0, 0, 0]);
    expect([...inheritTensor('t/mlp/proj/w', fresh, [3, 2], undefined, 1)]).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('refuses a child tensor smaller than its parent', () => {
    const parent = { values: new Float32Array(4), shape: [2, 2] };
    expect(() => inheritTensor('x/w', new Float32Array(2), [1, 2], parent, 1)).toThrow(
      /cannot inherit/,
    );
  });
});

describe('growth children at m = 1', () => {
  const parentConfig = microConfig();
  const all = growthChildren(
    parentConfig,
    growth({ space: { ...growth().space, maxScale: 1 } }),
    1,
  );
  const bothTowers = growthChildren(
    parentConfig,
    growth({ towers: ['both'], operators: ['addBlocks', 'widen', 'addHeads'] }),
    1,
  );

  it('cover every operator on both towers, within the budget', () => {
    expect(all.map((c) => c.name)).toEqual([
      'image+1block',
      'image-mlp×1.5',
      'image-width×1.5',
      'image+1head',
      'text+1block',
      'text-mlp×1.5',
      'text-width×1.5',
      'text+1head',
      'shared+1block',
    ]);
    const budget = { maxGflopsPerSample: forwardFlops(parentConfig) * 1.2e-9 };
    const small = growthChildren(parentConfig, growth({ budget }), 1);
    expect(small.length).toBeGreaterThan(0);
    expect(small.length).toBeLessThan(all.length);
    for (const c of small) expect(c.gflopsPerSample).toBeLessThanOrEqual(budget.maxGflopsPerSample);
  });

  it('`both` grows the image and the text tower alike in one child', () => {
    expect(bothTowers.map((c) => c.name)).toEqual([
      'both+1block',
      'both-mlp×1.5',
      'both-width×1.5',
      'both+1head',
    ]);
    const { image, text } = parentConfig;
    const [deeper, , wider, headier] = bothTowers.map((c) => c.config);
    expect([deeper!.image.depth, deeper!.text.depth]).toEqual([image.depth + 1, text.depth + 1]);
    expect([wider!.image.width, wider!.text.width]).toEqual([24, 24]);
    expect([headier!.image.heads, headier!.text.heads]).toEqual([image.heads + 1, text.heads + 1]);
    expect(() => growth({ towers: ['both', 'both'] })).toThrow(/repeats a tower/);
  });

  it.each(
    [...all, ...bothTowers]
      .filter((c) => c.operator !== 'widen' || c.name.includes('mlp'))
      .map((c) => [c.name, c]),
  )('%s computes its parent’s embeddings (both towers)', (_, child) => {
    const parent = model(parentConfig, 1);
    const grown = model(child.config, 2);
    expect(grown.numParams()).toBeGreaterThan(parent.numParams());
    expect(parameterCount(child.config)).toBe(grown.numParams());
    inheritWeights(grown, parent, 1);
    expect(maxDiff(grown.encodeImage(images), parent.encodeImage(images))).toBeLessThan(1e-5);
    expect(maxDiff(grown.encodeText(tokens), parent.encodeText(tokens))).toBeLessThan(1e-5);
  });

  it('a second shared block on a model that has one still computes the parent’s embeddings', () => {
    const withShared = all.find((c) => c.operator === 'addSharedBlocks')!.config;
    const parent = model(withShared, 3);
    const [deeper] = growthChildren(withShared, growth({ operators: ['addSharedBlocks'] }), 1);
    expect(deeper!.config.shared?.depth).toBe(2);
    const grown = model(deeper!.config, 4);
    inheritWeights(grown, parent, 1);
    expect(maxDiff(grown.encodeImage(images), parent.encodeImage(images))).toBeLessThan(1e-5);
    expect(maxDiff(grown.encodeText(tokens), parent.encodeText(tokens))).toBeLessThan(1e-5);
  });

  it('a widened tower keeps the old weights in the top-left block', () => {
    const child = all.find((c) => c.name === 'image-width×1.5')!;
    expect(child.config.image.width).toBe(24);
    const parent = model(parentConfig, 1);
    const grown = model(child.config, 2);
    inheritWeights(grown, parent, 1);
    const old = parent.variables().get('image/blocks/0/mlp/fc/w')!; // [16, 32]
    const wide = grown.variables().get('image/blocks/0/mlp/fc/w')!; // [24, 48]
    expect(wide.shape).toEqual([24, 48]);
    expect(maxDiff(tf.slice(wide, [0, 0], [16, 32]), old)).toBe(0);
    // fresh init outside it (not zero), but zero in the new rows of the output projection
    expect(tf.max(tf.abs(tf.slice(wide, [16, 32], [8, 16]))).dataSync()[0]).toBeGreaterThan(0);
    const proj = grown.variables().get('image/blocks/0/attn/out/w')!; // [16, 24]
    expect(tf.max(tf.abs(tf.slice(proj, [0, 16], [16, 8]))).dataSync()[0]).toBe(0);
  });

  it('the growth scale widens with the amount of new data, up to maxScale', () => {
    const space = growth().space;
    expect(growthScale(space, 0)).toBe(1);
    expect(growthScale(space, space.samplesPerScale)).toBe(2);
    expect(growthScale(space, 100 * space.samplesPerScale)).toBe(space.maxScale);
    const twice = growthChildren(
      parentConfig,
      growth({ operators: ['addBlocks'], towers: ['text'] }),
      2,
    );
    expect(twice.map((c) => c.config.text.depth)).toEqual([3, 4]);
  });
});

describe('carryOptimizerState', () => {
  it('carries the parent’s moments into the inherited block and zeroes the rest', () => {
    const parent = model(microConfig(), 1);
    const [child] = growthChildren(
      microConfig(),
      growth({ operators: ['widen'], towers: ['text'] }),
      1,
    );
    const grown = model(child!.config, 2); // text MLP ×1.5: fc [16, 32] → [16, 48]
    const tensors: Record<string, Float32Array> = {};
    for (const [name, v] of parent.trainableVariables()) {
      tensors[`m/${name}`] = Float32Array.from({ length: v.size }, (_, i) => i + 1);
      tensors[`v/${name}`] = Float32Array.from({ length: v.size }, (_, i) => 2 * (i + 1));
    }
    const carried = carryOptimizerState(grown, parent, { step: 17, tensors });
    const optimizer = new AdamW(grown.trainableVariables());
    optimizer.importState(carried);
    const state = optimizer.exportState();
    expect(state.step).toBe(17);
    const m = state.tensors['m/text/blocks/0/mlp/fc/w']!;
    expect(m.length).toBe(16 * 48);
    expect([m[0], m[31], m[32], m[47], m[48]]).toEqual([1, 32, 0, 0, 33]);
    expect(state.tensors['v/image/patch/w']).toEqual(tensors['v/image/patch/w']);
    optimizer.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClipModel, MAX_LOG_SCALE } from './clip-model.js';
import { microConfig } from './micro.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const models: ClipModel[] = [];
function model(
  options: Partial<ConstructorParameters<typeof ClipModel>[1]> = {},
  imagePool: 'cls' | 'mean' = 'cls',
) {
  const m = new ClipModel(microConfig({ imagePool }), { seed: 3, ...options });
  models.push(m);
  return m;
}
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

const images = (n: number, seed = 1) =>
  tf.randomUniform([n, 8, 8, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
const tokens = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

describe('ClipModel', () => {
  it('encodes images and texts to [B, d]', () => {
    for (const pool of ['cls', 'mean'] as const) {
      const m = model({}, pool);
      expect(m.encodeImage(images(3)).shape).toEqual([3, 8]);
      expect(
        m.encodeText(
          tokens([
            [5, 6, 7, 0, 0, 0],
            [1, 2, 3, 4, 5, 6],
            [9, 0, 0, 0, 0, 0],
          ]),
        ).shape,
      ).toEqual([3, 8]);
    }
  });

  it('initialises deterministically from the seed', () => {
    const a = model();
    const b = model();
    const c = model({ seed: 4 });
    const x = images(2);
    expect(maxDiff(a.encodeImage(x), b.encodeImage(x))).toBe(0);
    expect(maxDiff(a.encodeImage(x), c.encodeImage(x))).toBeGreaterThan(1e-3);
    expect([...a.variables().keys()]).toEqual([...c.variables().keys()]);
  });

  it.each(['mean', 'eot'] as const)('ignores padding with %s pooling', (textPooling) => {
    const m = model({ textPooling });
    const padded = m.encodeText(
      tokens([
        [5, 6, 7, 0, 0, 0],
        [8, 9, 0, 0, 0, 0],
      ]),
    );
    const short = m.encodeText(
      tokens([
        [5, 6, 7],
        [8, 9, 0],
      ]),
    );
    const alone = m.encodeText(tokens([[8, 9]]));
    expect(maxDiff(padded, short)).toBeLessThan(1e-5);
    expect(maxDiff(tf.slice(padded, 1, 1), alone)).toBeLessThan(1e-5);
  });

  it('pools differently by mean and by end-of-text token', () => {
    const t = tokens([[5, 6, 7, 0, 0, 0]]);
    expect(
      maxDiff(
        model({ textPooling: 'mean' }).encodeText(t),
        model({ textPooling: 'eot' }).encodeText(t),
      ),
    ).toBeGreaterThan(1e-4);
  });

  it('has a learnable logit scale starting at 1/0.07, clamped at 100, or a fixed one', () => {
    const m = model();
    expect(m.logitScale().dataSync()[0]).toBeCloseTo(1 / 0.07, 3);
    m.variables()
      .get('logit_scale')!
      .assign(tf.scalar(MAX_LOG_SCALE + 1));
    expect(m.logitScale().dataSync()[0]).toBeCloseTo(100, 3);
    const f = model({ temperature: { kind: 'fixed', value: 0.02 } });
    expect(f.logitScale().dataSync()[0]).toBeCloseTo(50, 4);
    expect(f.variables().has('logit_scale')).toBe(false);
    expect(f.learnsTemperature).toBe(false);
  });

  it('honours per-tower trainable settings', () => {
    const m = model({ imageTrainable: 'head', textTrainable: 'none' });
    const names = [...m.trainableVariables().keys()].sort();
    expect(names).toEqual(['image/ln_final/b', 'image/ln_final/g', 'image/proj/w', 'logit_scale']);
    expect(model().trainableVariables().size).toBe(model().variables().size);
  });

  it('decays matmul weights only', () => {
    const m = model();
    expect(m.decays('image/blocks/0/attn/qkv/w')).toBe(true);
    expect(m.decays('text/proj/w')).toBe(true);
    for (const n of [
      'image/blocks/0/attn/qkv/b',
      'text/ln_final/g',
      'logit_scale',
      'text/tok_emb',
      'image/pos_emb',
      'image/cls',
    ]) {
      expect(m.decays(n)).toBe(false);
    }
  });

  it('initialises a tower from another model’s weights', () => {
    const a = model({ seed: 1 });
    const b = model({ seed: 2 });
    const weights = new Map([...a.variables()].map(([n, v]) => [n, v.dataSync() as Float32Array]));
    const loaded = b.loadWeights(weights, 'text/');
    expect(loaded.every((n) => n.startsWith('text/'))).toBe(true);
    const t = tokens([[3, 4, 0, 0, 0, 0]]);
    expect(maxDiff(a.encodeText(t), b.encodeText(t))).toBe(0);
    expect(maxDiff(a.encodeImage(images(1)), b.encodeImage(images(1)))).toBeGreaterThan(1e-3);
    expect(() =>
      b.loadWeights(new Map([['text/proj/w', new Float32Array(3)]]), 'text/proj/'),
    ).toThrow(/3 values/);
    expect(() => b.loadWeights({}, 'image/')).toThrow(/no weights for image/);
  });

  it('rejects inputs of the wrong shape or type', () => {
    const m = model();
    expect(() => m.encodeImage(tf.zeros([1, 16, 16, 3]) as tf.Tensor4D)).toThrow(
      /expects \[B, 8, 8, 3\]/,
    );
    expect(() => m.encodeText(tf.zeros([1, 7], 'int32') as tf.Tensor2D)).toThrow(
      /at most 6 tokens/,
    );
    expect(() => m.encodeText(tf.zeros([1, 6]) as tf.Tensor2D)).toThrow(/int32/);
  });

  it.each(['cls', 'mean'] as const)(
    'has gradients that match finite differences (%s pooling)',
    (pool) => {
      const m = model({ textPooling: 'eot' }, pool);
      const x = images(3, 9);
      const t = tokens([
        [4, 5, 6, 0, 0, 0],
        [7, 8, 9, 10, 11, 0],
        [12, 0, 0, 0, 0, 0],
      ]);
      const a = tf.randomNormal([3, 8], 0, 1, 'float32', 10);
      const b = tf.randomNormal([3, 8], 0, 1, 'float32', 11);
      const f = () =>
        tf.add(
          tf.sum(tf.mul(m.encodeImage(x), a)),
          tf.sum(tf.mul(m.encodeText(t), b)),
        ) as tf.Scalar;
      const vars = [...m.variables()].filter(([n]) => n !== 'logit_scale').map(([, v]) => v);
      const { grads } = tf.variableGrads(f, vars);
      // directional derivative along a random direction scaled to each parameter, by central differences
      const rms = (v: tf.Tensor) => Math.max(Math.sqrt(tf.mean(tf.square(v)).dataSync()[0]!), 0.01);
      const dirs = vars.map((v, i) => tf.randomNormal(v.shape, 0, rms(v), 'float32', 100 + i));
      const analytic = vars.reduce(
        (s, v, i) => s + tf.sum(tf.mul(grads[v.name]!, dirs[i]!)).dataSync()[0]!,
        0,
      );
      const eps = 1e-3;
      const shift = (k: number) => vars.forEach((v, i) => v.assign(tf.add(v, tf.mul(dirs[i]!, k))));
      shift(eps);
      const up = f().dataSync()[0]!;
      shift(-2 * eps);
      const down = f().dataSync()[0]!;
      shift(eps);
      expect(Math.abs((up - down) / (2 * eps) - analytic) / Math.abs(analytic)).toBeLessThan(1e-3);
    },
  );

  it('leaks no tensors', () => {
    const m = model();
    const x = images(2);
    const t = tokens([
      [1, 2, 0, 0, 0, 0],
      [3, 0, 0, 0, 0, 0],
    ]);
    const before = tf.memory().numTensors;
    tf.dispose([m.encodeImage(x), m.encodeText(t), m.logitScale()]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

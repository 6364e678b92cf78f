import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClipModel } from './clip-model.js';
import { ModelConfig } from './config.js';
import { microConfig } from './micro.js';
import { ParamStore } from './params.js';
import { parameterCount } from './size.js';
import { TokenLearner } from './token-learner.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 2;
const L = 5;
const W = 8;
const K = 3;
const MASKED = -1e9;

function learner(seed = 1) {
  const store = new ParamStore(seed);
  return { store, learner: new TokenLearner(store, 'tl', W, K, 1e-5) };
}
const input = () => tf.randomNormal([B * L, W], 0, 1, 'float32', 7) as tf.Tensor2D;
/** Row 0 has 3 real positions, row 1 all 5. */
const mask = () => tf.tensor3d([0, 0, 0, MASKED, MASKED, 0, 0, 0, 0, 0], [B, 1, L]);

describe('TokenLearner', () => {
  it('turns [B·L, W] into [B·K, W] with maps [B, K, L] that sum to 1 over positions', () => {
    const { learner: tl } = learner();
    const x = input();
    expect(tl.apply(x, { batch: B, length: L, positionMask: null }).shape).toEqual([B * K, W]);
    const maps = tl.maps(x, { batch: B, length: L, positionMask: null });
    expect(maps.shape).toEqual([B, K, L]);
    for (const s of tf.sum(maps, -1).dataSync()) expect(s).toBeCloseTo(1, 5);
    // not a uniform average: the scores depend on the tokens
    expect(tf.max(tf.abs(tf.sub(maps, 1 / L))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it('gives padding exactly zero weight, so what padding holds changes nothing', () => {
    const { learner: tl } = learner();
    const layout = { batch: B, length: L, positionMask: mask() };
    const maps = tl.maps(input(), layout).arraySync();
    for (const k of maps[0]!) {
      expect(k[3]).toBe(0);
      expect(k[4]).toBe(0);
      expect(k[0]! + k[1]! + k[2]!).toBeCloseTo(1, 5);
    }
    expect(maps[1]!.flat().every((v) => v > 0)).toBe(true);
    const noisy = tf.tidy(() => {
      const x = input().arraySync();
      x[3] = x[3]!.map(() => 100); // row 0, position 3: padding
      x[4] = x[4]!.map(() => -50);
      return tf.tensor2d(x);
    });
    const a = tl.apply(input(), layout);
    const b = tl.apply(noisy, layout);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('has gradients that match finite differences (input and every parameter)', () => {
    const { store, learner: tl } = learner(3);
    const x = tf.variable(input());
    const upstream = tf.randomNormal([B * K, W], 0, 1, 'float32', 9);
    const layout = { batch: B, length: L, positionMask: mask() };
    const loss = () => tf.sum(tf.mul(tl.apply(x, layout), upstream)) as tf.Scalar;
    const vars = [x, ...store.all().map((p) => p.variable)];
    const { grads } = tf.variableGrads(loss, vars);
    const h = 1e-2;
    for (const v of vars) {
      const g = grads[v.name]!.dataSync();
      const values = v.dataSync().slice();
      // a few coordinates of each tensor, spread over it
      for (const i of [0, Math.floor(values.length / 2), values.length - 1]) {
        const at = (delta: number) => {
          const moved = values.slice();
          moved[i]! += delta;
          v.assign(tf.tensor(moved, v.shape));
          return loss().dataSync()[0]!;
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        v.assign(tf.tensor(values, v.shape));
        expect(Math.abs(g[i]! - numeric), `${v.name}[${i}]`).toBeLessThan(
          2e-2 * Math.max(1, Math.abs(numeric)),
        );
      }
    }
  });
});

function withLearners(pool: 'cls' | 'mean' = 'cls') {
  const micro = microConfig({ imagePool: pool });
  return ModelConfig.parse({
    ...micro,
    image: { ...micro.image, tokenLearner: { at: 1, tokens: 2 } },
    text: { ...micro.text, tokenLearner: { at: 1, tokens: 3 } },
  });
}

describe('towers with token learners', () => {
  it.each(['cls', 'mean'] as const)('embed images (%s pooling) and texts as [B, d]', (pool) => {
    const model = new ClipModel(withLearners(pool), { seed: 0 });
    const images = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const tokens = tf.tensor2d([[1, 5, 6, 2, 0, 0]], [1, 6], 'int32');
    expect(model.encodeImage(images).shape).toEqual([3, 8]);
    expect(model.encodeText(tokens).shape).toEqual([1, 8]);
    expect([...model.variables().keys()]).toContain('image/token_learner/score/w');
    expect(parameterCount(model.config)).toBe(model.numParams());
    model.dispose();
  });

  it('embed a caption the same alone and next to a longer one (padding gets no weight)', () => {
    const model = new ClipModel(withLearners(), { seed: 0 });
    const alone = model.encodeText(tf.tensor2d([[1, 5, 2]], [1, 3], 'int32'));
    const batch = model.encodeText(
      tf.tensor2d(
        [
          [1, 5, 2, 0, 0, 0],
          [1, 7, 8, 9, 10, 2],
        ],
        [2, 6],
        'int32',
      ),
    );
    const first = tf.slice(batch, [0, 0], [1, 8]);
    expect(tf.max(tf.abs(tf.sub(alone, first))).dataSync()[0]).toBeLessThan(1e-5);
    model.dispose();
  });

  it('refuses eot pooling with a text token learner', () => {
    expect(() => new ClipModel(withLearners(), { seed: 0, textPooling: 'eot' })).toThrow(
      /eot text pooling needs the end-of-text position/,
    );
  });

  it('refuses a learner past the depth or with as many tokens as positions', () => {
    const micro = microConfig();
    const parse = (image: object) =>
      ModelConfig.safeParse({ ...micro, image: { ...micro.image, ...image } });
    expect(parse({ tokenLearner: { at: 3, tokens: 2 } }).error?.message).toMatch(
      /image\.tokenLearner: at \(3\) must be at most the tower's depth \(2\)/,
    );
    expect(parse({ tokenLearner: { at: 1, tokens: 4 } }).error?.message).toMatch(
      /tokens \(4\) must be fewer than the 4 positions/,
    );
  });
});

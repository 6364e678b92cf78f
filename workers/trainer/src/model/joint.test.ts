import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClipModel } from './clip-model.js';
import { jointBlockShape, ModelConfig } from './config.js';
import { concatSequences, gatherSequence, JointReducer, type TokenSequence } from './joint.js';
import { microConfig } from './micro.js';
import { ParamStore } from './params.js';
import { parameterCount } from './size.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MASKED = -1e9;
const W = 16;
/** Micro: 5 image tokens (class token + 4 patches), text context 6; joint K = 2, 2 stages. */
const JOINT = { tokens: 2, stages: 2 };
const withJoint = (joint = JOINT) => ModelConfig.parse({ ...microConfig(), joint });

const images = () => tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
/** Three captions of 2, 4 and 6 real tokens (right-padded with 0). */
const texts = () =>
  tf.tensor2d([3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 9, 10, 11, 12, 13, 14], [3, 6], 'int32');

function sequence(batch: number, length: number, seed: number, mask?: number[]): TokenSequence {
  return {
    x: tf.randomNormal([batch * length, W], 0, 1, 'float32', seed) as tf.Tensor2D,
    layout: { batch, length, positionMask: mask ? tf.tensor3d(mask, [batch, 1, length]) : null },
  };
}

/** Two images of 3 tokens; two texts of 4 positions, the first with 2 of padding. */
const imageSeq = () => sequence(2, 3, 1);
const textSeq = () => sequence(2, 4, 2, [0, 0, MASKED, MASKED, 0, 0, 0, 0]);

function reducer() {
  const config = withJoint();
  return new JointReducer(new ParamStore(3), JOINT, jointBlockShape(config, JOINT), 1e-5);
}

describe('the joint sequence', () => {
  it('is each pair’s image tokens then text tokens, only text padding masked', () => {
    const joint = concatSequences(imageSeq(), textSeq());
    expect(joint.x.shape).toEqual([2 * 7, W]);
    expect(joint.layout.length).toBe(7);
    expect(joint.layout.positionMask!.arraySync()).toEqual([
      [[0, 0, 0, 0, 0, MASKED, MASKED]],
      [[0, 0, 0, 0, 0, 0, 0]],
    ]);
    const rows = joint.x.arraySync();
    expect(rows[7]).toEqual(imageSeq().x.arraySync()[3]); // pair 1 starts with image 1's tokens
    expect(rows[10]).toEqual(textSeq().x.arraySync()[4]); // then text 1's
    expect(concatSequences(imageSeq(), sequence(2, 4, 2)).layout.positionMask).toBeNull();
  });

  it('gathers the rows of a negative pair, masks included', () => {
    const swapped = gatherSequence(textSeq(), [1, 0]);
    expect(swapped.layout.positionMask!.arraySync()[1]).toEqual([[0, 0, MASKED, MASKED]]);
    expect(swapped.x.arraySync()[0]).toEqual(textSeq().x.arraySync()[4]);
  });
});

describe('JointReducer', () => {
  it('reduces every stage to K tokens and scores each pair', () => {
    const joint = reducer();
    expect(joint.represent(imageSeq(), textSeq()).shape).toEqual([2 * JOINT.tokens, W]);
    expect(joint.score(imageSeq(), textSeq()).shape).toEqual([2]);
    expect(joint.maps(imageSeq(), textSeq()).shape).toEqual([2, JOINT.tokens, 7]);
  });

  it('gives text padding zero weight and every image token some', () => {
    const joint = reducer();
    const maps = joint.maps(imageSeq(), textSeq()).arraySync();
    for (const k of maps[0]!) {
      expect(k.slice(5)).toEqual([0, 0]);
      expect(k.slice(0, 3).every((v) => v > 0)).toBe(true);
    }
    expect(maps[1]!.flat().every((v) => v > 0)).toBe(true);
    // what the padding holds changes no score
    const text = textSeq();
    const rows = text.x.arraySync();
    rows[2] = rows[2]!.map(() => 100);
    rows[3] = rows[3]!.map(() => -50);
    const noisy = { x: tf.tensor2d(rows), layout: text.layout };
    const a = joint.score(imageSeq(), text).dataSync();
    const b = joint.score(imageSeq(), noisy).dataSync();
    expect(Math.abs(a[0]! - b[0]!)).toBeLessThan(1e-5);
  });
});

describe('a model with the joint module', () => {
  it('is the same model when off: same parameters, counted from the architecture', () => {
    const off = new ClipModel(microConfig(), { seed: 4 });
    const on = new ClipModel(withJoint(), { seed: 4 });
    expect(off.hasJoint).toBe(false);
    expect(parameterCount(microConfig())).toBe(off.numParams());
    expect(parameterCount(withJoint())).toBe(on.numParams());
    const jointNames = [...on.variables().keys()].filter((n) => n.startsWith('joint/'));
    expect(jointNames.length).toBe(on.variables().size - off.variables().size);
    expect(() => tf.tidy(() => off.matchLogits(off.encodePairs(images(), texts())))).toThrow(
      /no joint module/,
    );
  });

  it('keeps image and text embeddings independent, as without it', () => {
    const off = new ClipModel(microConfig(), { seed: 4 });
    const on = new ClipModel(withJoint(), { seed: 4 });
    const same = (a: tf.Tensor, b: tf.Tensor) =>
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    same(on.encodeImage(images()), off.encodeImage(images()));
    same(on.encodeText(texts()), off.encodeText(texts()));
    const pairs = on.encodePairs(images(), texts());
    same(pairs.image.embedding, on.encodeImage(images()));
    same(pairs.text.embedding, on.encodeText(texts()));
  });

  it('scores a negative pair as if it were given as a pair', () => {
    const model = new ClipModel(withJoint(), { seed: 4 });
    const pairs = model.encodePairs(images(), texts());
    const negative = model.matchLogits(pairs, [2, 0], [0, 2]).dataSync();
    const direct = model.matchLogits(
      model.encodePairs(tf.gather(images(), [2, 0]), tf.gather(texts(), [0, 2]) as tf.Tensor2D),
    );
    // the direct texts drop no padding column (text 2 fills the context): same scores
    const d = direct.dataSync();
    expect(negative[0]).toBeCloseTo(d[0]!, 4);
    expect(negative[1]).toBeCloseTo(d[1]!, 4);
  });

  it('trains: a matching loss reaches the joint module and both towers', () => {
    const model = new ClipModel(withJoint(), { seed: 4 });
    const vars = model.trainableVariables();
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(model.matchLogits(model.encodePairs(images(), texts())))) as tf.Scalar,
      [...vars.values()],
    );
    const norm = (name: string) => {
      const g = grads[vars.get(name)!.name];
      return g ? tf.norm(g).dataSync()[0]! : 0;
    };
    for (const name of [
      'joint/token_learner/0/score/w',
      'joint/token_learner/1/fc/w',
      'joint/blocks/1/mlp/fc/w',
      'joint/score/w',
      'image/patch/w',
      'text/tok_emb',
    ])
      expect(norm(name), name).toBeGreaterThan(0);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function params() {
  return new Map<string, tf.Variable>([
    [
      'w',
      tf.variable(
        tf.tensor2d([
          [1, -2],
          [0.5, 3],
        ]),
      ),
    ],
    ['b', tf.variable(tf.tensor1d([0.1, -0.1]))],
  ]);
}
const grads = (gw: number[][], gb: number[]) =>
  new Map<string, tf.Tensor>([
    ['w', tf.tensor2d(gw)],
    ['b', tf.tensor1d(gb)],
  ]);
const values = (v: tf.Tensor) => [...v.dataSync()];

/** PyTorch AdamW on one scalar, step by step. */
function reference(
  p: number,
  gs: number[],
  o: { lr: number; b1: number; b2: number; eps: number; wd: number },
) {
  let m = 0;
  let v = 0;
  gs.forEach((g, i) => {
    const t = i + 1;
    p *= 1 - o.lr * o.wd;
    m = o.b1 * m + (1 - o.b1) * g;
    v = o.b2 * v + (1 - o.b2) * g * g;
    p -= (o.lr / (1 - o.b1 ** t)) * (m / (Math.sqrt(v) / Math.sqrt(1 - o.b2 ** t) + o.eps));
  });
  return p;
}

describe('AdamW', () => {
  it('matches PyTorch AdamW, decaying only ≥2-D weights by default', () => {
    const ps = params();
    const opt = new AdamW(ps, { beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.2 });
    const seq = [0.5, -0.25, 1];
    for (const g of seq)
      opt.apply(
        grads(
          [
            [g, g],
            [g, g],
          ],
          [g, g],
        ),
        0.01,
      );
    const o = { lr: 0.01, b1: 0.9, b2: 0.98, eps: 1e-6, wd: 0.2 };
    expect(values(ps.get('w')!)[1]).toBeCloseTo(reference(-2, seq, o), 6);
    expect(values(ps.get('b')!)[0]).toBeCloseTo(reference(0.1, seq, { ...o, wd: 0 }), 6);
    expect(opt.step).toBe(3);
  });

  it('uses the decay predicate it is given', () => {
    const ps = params();
    const opt = new AdamW(ps, { weightDecay: 0.5, decays: (name) => name === 'b' });
    opt.apply(
      grads(
        [
          [0, 0],
          [0, 0],
        ],
        [0, 0],
      ),
      0.1,
    );
    expect(values(ps.get('w')!)).toEqual([1, -2, 0.5, 3]);
    expect(values(ps.get('b')!)[0]).toBeCloseTo(0.1 * 0.95, 7);
  });

  it('clips the global gradient norm and reports the unclipped norm', () => {
    const a = params();
    const b = params();
    const clipped = new AdamW(a, { gradClip: 1 });
    const plain = new AdamW(b);
    const { gradNorm } = clipped.apply(
      grads(
        [
          [3, 0],
          [0, 0],
        ],
        [4, 0],
      ),
      0.1,
    );
    expect(gradNorm).toBeCloseTo(5, 5);
    plain.apply(
      grads(
        [
          [0.6, 0],
          [0, 0],
        ],
        [0.8, 0],
      ),
      0.1,
    );
    // Adam is scale-invariant in its first step except through ε: compare the second moment instead
    const sa = clipped.exportState().tensors['v/b']!;
    const sb = plain.exportState().tensors['v/b']!;
    expect(sa[0]).toBeCloseTo(sb[0]!, 6);
  });

  it('skips a step with a non-finite gradient', () => {
    const ps = params();
    const opt = new AdamW(ps);
    const r = opt.apply(
      grads(
        [
          [NaN, 0],
          [0, 0],
        ],
        [0, 0],
      ),
      0.1,
    );
    expect(r.skipped).toBe(true);
    expect(opt.step).toBe(0);
    expect(values(ps.get('w')!)).toEqual([1, -2, 0.5, 3]);
  });

  it('resumes from exported state bit for bit', () => {
    const seq = Array.from({ length: 6 }, (_, i) =>
      grads(
        [
          [i, -i],
          [0.5 * i, 1],
        ],
        [1 - i, i],
      ),
    );
    const a = params();
    const optA = new AdamW(a, { weightDecay: 0.1, gradClip: 2 });
    for (const g of seq.slice(0, 3)) optA.apply(g, 0.05);
    const state = optA.exportState();
    const b = new Map([...a].map(([n, v]) => [n, tf.variable(v.clone())]));
    const optB = new AdamW(b, { weightDecay: 0.1, gradClip: 2 });
    optB.importState(state);
    expect(optB.step).toBe(3);
    for (const g of seq.slice(3)) {
      optA.apply(g, 0.05);
      optB.apply(g, 0.05);
    }
    for (const n of ['w', 'b']) expect(values(b.get(n)!)).toEqual(values(a.get(n)!));
    expect(Object.keys(state.tensors).sort()).toEqual(['m/b', 'm/w', 'v/b', 'v/w']);
    expect(() => optB.importState({ step: 1, tensors: { 'm/x': new Float32Array(1) } })).toThrow(
      /matches no parameter/,
    );
  });

  it('leaks no tensors', () => {
    const ps = params();
    const opt = new AdamW(ps, { weightDecay: 0.1, gradClip: 0.5 });
    opt.apply(
      grads(
        [
          [1, 1],
          [1, 1],
        ],
        [1, 1],
      ),
      0.1,
    );
    const g = grads(
      [
        [1, 1],
        [1, 1],
      ],
      [1, 1],
    );
    const before = tf.memory().numTensors;
    opt.apply(g, 0.1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

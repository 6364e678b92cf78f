// On wasm with Curio's native kernels, the model runs layer norm, GELU, the attention heads and
// AdamW as fused kernels; everywhere else it runs the composed tfjs ops. The two paths must agree.
import * as tf from '@tensorflow/tfjs';
import {
  getFusedOps,
  initWasmBackend,
  registerNativeKernels,
  registerWasmFallbackKernels,
  unregisterWasmKernels,
} from '@curio/native-kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeGradients, trainStep, type TrainBatch } from '../loop/train-step.js';
import { AdamW } from '../optim/adamw.js';
import { attentionResidual, mlpResidual, type AttentionParams, type MlpParams } from './blocks.js';
import { ClipModel } from './clip-model.js';
import { fusedOps, setFusedOpsEnabled } from './fused.js';
import { layerNorm } from './layers.js';
import { microConfig } from './micro.js';
import { ParamStore } from './params.js';
import { TokenLearner } from './token-learner.js';

await initWasmBackend(tf);
const native = registerNativeKernels(tf);
const skip = native.ok ? '' : ` (skipped: ${native.reason})`;
const hasAttention = native.ok && getFusedOps(tf)?.attention !== undefined;

afterAll(() => setFusedOpsEnabled(true));

const rand = (shape: number[], seed: number, std = 0.5) =>
  tf.randomNormal(shape, 0, std, 'float32', seed);

/** Worst |a − b| / max(|b|, floor) over a list of tensor pairs. */
function worstRelative(a: tf.Tensor[], b: tf.Tensor[], floor = 1e-3): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((t, i) => {
    expect(t.shape).toEqual(b[i]!.shape);
    const diff = tf.max(tf.abs(tf.sub(t, b[i]!))).dataSync()[0]!;
    worst = Math.max(worst, diff / Math.max(tf.max(tf.abs(b[i]!)).dataSync()[0]!, floor));
  });
  return worst;
}

/** f's value and its gradients w.r.t. every input, on the fused path and on the composed one. */
function bothPaths(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], upstream: tf.Tensor) {
  const run = (fused: boolean) => {
    setFusedOpsEnabled(fused);
    expect(fusedOps() !== undefined).toBe(fused);
    const value = f(...inputs);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), upstream)))(inputs);
    return [value, ...grads];
  };
  const fused = run(true);
  const composed = run(false);
  setFusedOpsEnabled(true);
  return { fused, composed };
}

describe(`fused kernels vs composed ops on wasm-native${skip}`, () => {
  beforeAll(async () => {
    if (native.ok) await tf.setBackend('wasm');
  });

  it.skipIf(!native.ok || !hasAttention).each([
    ['small, no mask', 3, 7, 16, 2, false],
    ['small, key mask', 3, 7, 16, 2, true],
    ['tiny-like heads (several threads)', 16, 65, 128, 4, false],
  ])('attention block agrees (%s)', (_, B, L, W, H, masked) => {
    const x = rand([B * L, W], 1, 1);
    const params = [
      tf.add(rand([W], 2, 0.2), 1),
      rand([W], 3, 0.2),
      rand([W, 3 * W], 4, W ** -0.5),
      rand([3 * W], 5, 0.1),
      rand([W, W], 6, W ** -0.5),
      rand([W], 7, 0.1),
    ];
    let keyMask: tf.Tensor4D | null = null;
    if (masked) {
      const m = new Float32Array(B * L);
      for (let b = 0; b < B; b++) for (let t = 2 + b; t < L; t++) m[b * L + t] = -1e9;
      keyMask = tf.tensor4d(m, [B, 1, 1, L]);
    }
    const f = (xx: tf.Tensor, ...ps: tf.Tensor[]) => {
      const [lnG, lnB, qkvW, qkvB, outW, outB] = ps;
      const p = { lnG, lnB, qkvW, qkvB, outW, outB } as AttentionParams;
      return attentionResidual(
        xx as tf.Tensor2D,
        p,
        { batch: B, length: L, heads: H },
        keyMask,
        1e-5,
      );
    };
    const { fused, composed } = bothPaths(f, [x, ...params], rand([B * L, W], 8, 1));
    expect(worstRelative(fused, composed)).toBeLessThan(1e-4);
  });

  it.skipIf(!native.ok).each([
    [3, 7, 16],
    [8, 65, 128],
  ])('MLP block agrees (B=%i, L=%i, W=%i)', (B, L, W) => {
    const x = rand([B * L, W], 11, 1);
    const params = [
      tf.add(rand([W], 12, 0.2), 1),
      rand([W], 13, 0.2),
      rand([W, 4 * W], 14, W ** -0.5),
      rand([4 * W], 15, 0.1),
      rand([4 * W, W], 16, (4 * W) ** -0.5),
      rand([W], 17, 0.1),
    ];
    const f = (xx: tf.Tensor, ...ps: tf.Tensor[]) => {
      const [lnG, lnB, fcW, fcB, projW, projB] = ps;
      return mlpResidual(
        xx as tf.Tensor2D,
        { lnG, lnB, fcW, fcB, projW, projB } as MlpParams,
        1e-5,
      );
    };
    const { fused, composed } = bothPaths(f, [x, ...params], rand([B * L, W], 18, 1));
    expect(worstRelative(fused, composed)).toBeLessThan(1e-4);
  });

  it.skipIf(!native.ok).each([
    ['tiny-like image patches', 16, 64, 128, 8, false],
    ['padded text', 4, 12, 32, 3, true],
  ])('token learner agrees (%s)', (_, B, L, W, K, masked) => {
    const store = new ParamStore(5);
    const learner = new TokenLearner(store, 'tl', W, K, 1e-5);
    const x = tf.variable(rand([B * L, W], 31, 1)) as tf.Variable<tf.Rank.R2>;
    let positionMask: tf.Tensor3D | null = null;
    if (masked) {
      const m = new Float32Array(B * L);
      for (let b = 0; b < B; b++) for (let t = 3 + b; t < L; t++) m[b * L + t] = -1e9;
      positionMask = tf.tensor3d(m, [B, 1, L]);
    }
    const layout = { batch: B, length: L, positionMask };
    const upstream = rand([B * K, W], 32, 1);
    const vars = [x, ...store.all().map((p) => p.variable)];
    const run = (enabled: boolean) => {
      setFusedOpsEnabled(enabled);
      expect(fusedOps() !== undefined).toBe(enabled);
      const value = learner.apply(x, layout);
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.mul(learner.apply(x, layout), upstream)) as tf.Scalar,
        vars,
      );
      return [value, ...vars.map((v) => grads[v.name]!)];
    };
    const fused = run(true);
    const composed = run(false);
    setFusedOpsEnabled(true);
    expect(worstRelative(fused, composed)).toBeLessThan(1e-4);
    store.dispose();
  });

  it.skipIf(!native.ok)('layer norm agrees', () => {
    const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
    const inputs = [
      tf.add(rand([37, 24], 21, 2), 3),
      tf.add(rand([24], 22, 0.2), 1),
      rand([24], 23),
    ];
    const { fused, composed } = bothPaths(f, inputs, rand([37, 24], 24, 1));
    expect(worstRelative(fused, composed)).toBeLessThan(1e-4);
  });

  it.skipIf(!native.ok)('AdamW agrees over several steps (weight decay, clipping)', () => {
    const run = (fused: boolean) => {
      setFusedOpsEnabled(fused);
      const params = new Map([
        ['w', tf.variable(rand([13, 7], 31), true, `w-${fused}`)],
        ['b', tf.variable(rand([7], 32), true, `b-${fused}`)],
      ]);
      const opt = new AdamW(params, { weightDecay: 0.2, gradClip: 0.5 });
      for (let step = 0; step < 4; step++) {
        const grads = new Map(
          [...params].map(([n, p], i) => [n, rand(p.shape, 40 + 3 * step + i, 2)]),
        );
        opt.apply(grads, 1e-2);
      }
      const out = [
        ...params.values(),
        ...Object.values(opt.exportState().tensors).map((v) => tf.tensor(v)),
      ];
      setFusedOpsEnabled(true);
      return out;
    };
    expect(worstRelative(run(true), run(false))).toBeLessThan(1e-5);
  });

  describe('the micro CLIP model', () => {
    let batch: TrainBatch;
    beforeAll(() => {
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

    const gradients = (fused: boolean, subBatch?: number) => {
      setFusedOpsEnabled(fused);
      const model = new ClipModel(microConfig(), { seed: 5, textPooling: 'eot' });
      const out = computeGradients(model, batch, {
        direction: 'symmetric',
        ...(subBatch ? { subBatch } : {}),
      });
      const names = [...out.grads.keys()].sort();
      model.dispose();
      setFusedOpsEnabled(true);
      return { loss: out.loss, grads: names.map((n) => out.grads.get(n)!) };
    };

    it.skipIf(!native.ok)('gives the same loss and gradients, full batch and DGA', () => {
      const fused = gradients(true);
      const composed = gradients(false);
      expect(fused.loss).toBeCloseTo(composed.loss, 5);
      expect(worstRelative(fused.grads, composed.grads)).toBeLessThan(1e-4);
      const dga = gradients(true, 2);
      expect(dga.loss).toBeCloseTo(fused.loss, 5);
      expect(worstRelative(dga.grads, fused.grads)).toBeLessThan(1e-4);
    });

    it.skipIf(!native.ok)('gives the gradients and the loss curve of plain wasm', async () => {
      // Weights after AdamW steps are no test: parameters whose gradient is 0 analytically (the
      // key bias, under softmax's shift invariance) get float noise that Adam scales to ±lr.
      const train = () => {
        const model = new ClipModel(microConfig(), { seed: 5 });
        const first = computeGradients(model, batch, { direction: 'symmetric' });
        const grads = [...first.grads.keys()].sort().map((n) => first.grads.get(n)!);
        const opt = new AdamW(model.trainableVariables(), {
          weightDecay: 0.1,
          decays: (n) => model.decays(n),
        });
        const losses = Array.from(
          { length: 4 },
          () => trainStep(model, opt, batch, { direction: 'symmetric', lr: 1e-2 }).loss,
        );
        model.dispose();
        opt.dispose();
        return { losses, grads };
      };
      expect(fusedOps()).toBeDefined();
      const fused = train();
      unregisterWasmKernels(tf);
      registerWasmFallbackKernels(tf);
      try {
        expect(fusedOps()).toBeUndefined();
        const plain = train();
        expect(worstRelative(fused.grads, plain.grads)).toBeLessThan(1e-4);
        fused.losses.forEach((l, i) => expect(l).toBeCloseTo(plain.losses[i]!, 4));
        expect(fused.losses.at(-1)!).toBeLessThan(fused.losses[0]!);
      } finally {
        registerNativeKernels(tf);
      }
    });
  });
});

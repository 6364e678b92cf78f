import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getFusedOps } from './fused-ops.js';
import { registerNativeKernels, unregisterWasmKernels } from './register.js';
import { expectClose, randomTensor, tf, useWasm, gemmEngines } from './test-support.js';

const data = (t: tf.Tensor) => t.dataSync() as Float32Array;

/** Textbook multi-head attention on qkv [B·L, 3W], differentiated by tfjs autograd (stock kernels). */
function reference(
  qkv: tf.Tensor,
  mask: tf.Tensor | null,
  B: number,
  L: number,
  H: number,
  scale: number,
) {
  const W = qkv.shape[1]! / 3;
  const dh = W / H;
  const heads = (t: tf.Tensor, i: number) =>
    tf.transpose(
      tf.reshape(tf.slice(t, [0, i * W], [B * L, W]), [B, L, H, dh]),
      [0, 2, 1, 3],
    ) as tf.Tensor4D;
  return (t: tf.Tensor) => {
    let s: tf.Tensor = tf.mul(tf.matMul(heads(t, 0), heads(t, 1), false, true), scale);
    if (mask) s = tf.add(s, tf.reshape(mask, [B, 1, 1, L]));
    const probs = tf.softmax(s);
    const o = tf.matMul(probs as tf.Tensor4D, heads(t, 2));
    return {
      out: tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B * L, W]),
      probs: tf.reshape(probs, [B * H, L, L]),
    };
  };
}

for (const { engine, skip } of gemmEngines()) {
  describe(`native attention, ${engine} GEMM${skip ? ` (skipped: ${skip})` : ''}`, () => {
    beforeAll(useWasm);
    afterAll(() => unregisterWasmKernels(tf));

    it.skipIf(skip !== undefined).each([
      [3, 5, 2, 4, false],
      [3, 5, 2, 4, true],
      [2, 65, 4, 32, false], // large enough to run on several threads
      [4, 17, 3, 8, true],
    ])(
      'B=%i L=%i H=%i dh=%i (mask %s) matches the composed ops, forward and backward',
      (B, L, H, dh, masked) => {
        const W = H * dh;
        const scale = 1 / Math.sqrt(dh);
        const qkv = randomTensor([B * L, 3 * W], B * 100 + L);
        const dOut = randomTensor([B * L, W], 7);
        let mask: tf.Tensor | null = null;
        if (masked) {
          const values = new Float32Array(B * L);
          for (let b = 0; b < B; b++)
            for (let t = 1 + (b % L); t < L; t++) values[b * L + t] = -1e9;
          mask = tf.tensor(values, [B, 1, 1, L]);
        }
        const geometry = { batch: B, length: L, heads: H, scale };
        // Reference first, on the stock kernels.
        unregisterWasmKernels(tf);
        const f = reference(qkv, mask, B, L, H, scale);
        const ref = f(qkv);
        const refGrad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t).out, dOut)))(qkv);
        const [refOut, refProbs, refDq] = [data(ref.out), data(ref.probs), data(refGrad)];

        registerNativeKernels(tf, { gemm: engine });
        const ops = getFusedOps(tf)!;
        expect(ops.attention).toBeDefined();
        const fused = ops.attention!(qkv, mask, geometry);
        expect(fused.out.shape).toEqual([B * L, W]);
        expect(fused.probs.shape).toEqual([B * H, L, L]);
        expectClose(data(fused.out), refOut, 1e-5);
        expectClose(data(fused.probs), refProbs, 1e-5);
        const dQkv = ops.attentionGrad!(dOut, qkv, fused.probs, geometry);
        expect(dQkv.shape).toEqual([B * L, 3 * W]);
        expectClose(data(dQkv), refDq, 1e-4);
      },
    );

    it.skipIf(skip !== undefined)('rejects a qkv that does not match the geometry', () => {
      registerNativeKernels(tf, { gemm: engine });
      const ops = getFusedOps(tf)!;
      expect(() =>
        ops.attention!(tf.zeros([10, 12]), null, { batch: 3, length: 5, heads: 2, scale: 1 }),
      ).toThrow(/qkv/);
    });
  });
}

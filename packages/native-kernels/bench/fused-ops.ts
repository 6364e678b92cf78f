// ms of layer norm, sigmoid-GELU (forward + backward) and an AdamW update at tiny-preset sizes:
// composed tfjs ops on stock wasm, composed ops on the native kernels, and the fused kernels.
// Usage: npx tsx bench/fused-ops.ts [--threads N] [--blas-core NAME|auto]
import * as tf from '@tensorflow/tfjs';

import {
  getFusedOps,
  initWasmBackend,
  registerNativeKernels,
  registerWasmFallbackKernels,
  unregisterWasmKernels,
} from '../src/index.js';
import { nativeOptionsFromArgs } from './args.js';

function bestMs(f: () => void): number {
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    tf.tidy(f);
    best = Math.min(best, performance.now() - start);
  }
  return +best.toFixed(2);
}

await initWasmBackend(tf);
const native = registerNativeKernels(tf, nativeOptionsFromArgs());
const ops = getFusedOps(tf);
if (!native.ok || !ops)
  throw new Error(
    `needs the native kernels: ${native.ok ? 'fused kernels missing' : native.reason}`,
  );

const x = tf.randomNormal([8320, 128]);
const [g, b, dy] = [tf.randomNormal([128]), tf.randomNormal([128]), tf.randomNormal([8320, 128])];
const h = tf.randomNormal([8320, 512]);
const dh = tf.randomNormal([8320, 512]);
const params = [tf.randomNormal([2_162_433])];
const [grad, m, v] = [
  tf.randomNormal(params[0]!.shape),
  tf.zeros(params[0]!.shape),
  tf.ones(params[0]!.shape),
];
const c = {
  b1: 0.9,
  c1: 0.1,
  b2: 0.999,
  c2: 0.001,
  invSqrtBc2: 1.2,
  eps: 1e-8,
  stepSize: 1e-4,
  keep: 0.99998,
};

const composed: Record<string, () => void> = {
  'layer norm fwd+bwd [8320,128]': () => {
    const { mean, variance } = tf.moments(x, -1, true);
    const rstd = tf.rsqrt(tf.add(variance, 1e-5));
    const xhat = tf.mul(tf.sub(x, mean), rstd);
    tf.add(tf.mul(xhat, g), b);
    const dxhat = tf.mul(dy, g);
    tf.mul(
      tf.sub(
        tf.sub(dxhat, tf.mean(dxhat, -1, true)),
        tf.mul(xhat, tf.mean(tf.mul(dxhat, xhat), -1, true)),
      ),
      rstd,
    );
    tf.sum(tf.mul(dy, xhat), 0);
    tf.sum(dy, 0);
  },
  'sigmoid-GELU fwd+bwd [8320,512]': () => {
    const s = tf.sigmoid(tf.mul(h, 1.702));
    tf.mul(h, s);
    tf.mul(dh, tf.mul(s, tf.add(tf.mul(tf.mul(h, tf.sub(1, s)), 1.702), 1)));
  },
  'AdamW, 2.16M parameters': () => {
    const mNew = tf.add(tf.mul(m, c.b1), tf.mul(grad, c.c1));
    const vNew = tf.add(tf.mul(v, c.b2), tf.mul(tf.square(grad), c.c2));
    const update = tf.mul(
      tf.div(mNew, tf.add(tf.mul(tf.sqrt(vNew), c.invSqrtBc2), c.eps)),
      c.stepSize,
    );
    tf.sub(tf.mul(params[0]!, c.keep), update);
  },
};
const fused: Record<string, () => void> = {
  'layer norm fwd+bwd [8320,128]': () => {
    const o = ops.layerNorm(x, g, b, 1e-5);
    ops.layerNormGrad(dy, o.xhat, o.rstd, g);
  },
  'sigmoid-GELU fwd+bwd [8320,512]': () => {
    ops.geluSigmoid(h);
    ops.geluSigmoidGrad(dh, h);
  },
  'AdamW, 2.16M parameters': () => void ops.adamw(params[0]!, grad, m, v, c),
};

const rows = [];
for (const name of Object.keys(composed)) {
  const nativeComposed = bestMs(composed[name]!);
  const fusedMs = bestMs(fused[name]!);
  unregisterWasmKernels(tf);
  registerWasmFallbackKernels(tf);
  const stock = bestMs(composed[name]!);
  registerNativeKernels(tf);
  rows.push({ op: name, stockComposedMs: stock, nativeComposedMs: nativeComposed, fusedMs });
  console.log(
    `${name.padEnd(34)} stock ${stock.toFixed(2).padStart(7)} ms   native ops ${nativeComposed.toFixed(2).padStart(6)} ms   fused ${fusedMs.toFixed(2).padStart(6)} ms`,
  );
}
console.log(JSON.stringify({ bench: 'fused-ops', rows }));

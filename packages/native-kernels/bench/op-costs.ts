// Milliseconds per call of common ops on the wasm backend (stock or with Curio's kernels).
// Usage: npx tsx bench/op-costs.ts [--filter NAME] [--threads N] [--blas-core NAME|auto]   (stock and native measured back to back)
import * as tf from '@tensorflow/tfjs';

import { nativeOptionsFromArgs, stringArg } from './args.js';
import {
  initWasmBackend,
  registerNativeKernels,
  registerWasmFallbackKernels,
  unregisterWasmKernels,
} from '../src/index.js';

const R = 8320; // rows of a tiny-preset image tower batch (128 × 65 tokens)
const OPS: Record<
  string,
  (x: tf.Tensor2D, y: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor | tf.Tensor[]
> = {
  'Add same shape': (x, y) => tf.add(x, y),
  'Add row bias': (x, _y, b) => tf.add(x, b),
  'Multiply scalar': (x) => tf.mul(x, 0.5),
  'Multiply same shape': (x, y) => tf.mul(x, y),
  'Sub same shape': (x, y) => tf.sub(x, y),
  'RealDiv column': (x) => tf.div(x, tf.ones([R, 1])),
  'Pow x^3': (x) => tf.pow(x, 3),
  Tanh: (x) => tf.tanh(x),
  Exp: (x) => tf.exp(x),
  Sigmoid: (x) => tf.sigmoid(x),
  Erf: (x) => tf.erf(x),
  'Sqrt(abs)': (x) => tf.sqrt(tf.abs(x)),
  Square: (x) => tf.square(x),
  Relu: (x) => tf.relu(x),
  'Sum axis 0': (x) => tf.sum(x, 0),
  'Sum axis 1': (x) => tf.sum(x, 1),
  'Sum all': (x) => tf.sum(x),
  'Mean axis 1 keepDims': (x) => tf.mean(x, 1, true),
  'Max axis 1': (x) => tf.max(x, 1),
  'Softmax [512,65,65]': () => tf.softmax(attention),
  'Transpose 0213': (x) => tf.transpose(tf.reshape(x, [128, 65, 16, 32]), [0, 2, 1, 3]),
  'SplitV 4 cols': (x) => tf.split(x, 4, 1),
  'Concat cols': (x, y) => tf.concat([x, y], 1),
  'Slice cols': (x) => tf.slice(x, [0, 128], [R, 128]),
  'Identity (clone)': (x) => tf.clone(x),
  'Cast int': (x) => tf.cast(x, 'int32'),
  'GatherV2 rows': () => tf.gather(table, ids),
};

await initWasmBackend(tf);
const filter = stringArg('filter') ?? '';
const x = tf.randomNormal([R, 512]) as tf.Tensor2D;
const y = tf.randomNormal([R, 512]) as tf.Tensor2D;
const b = tf.randomNormal([512]) as tf.Tensor1D;
const attention = tf.randomNormal([512, 65, 65]);
const table = tf.randomNormal([4096, 128]);
const ids = tf.randomUniform([R], 0, 4096, 'int32');

/** Best of 5 rounds of ≥ 30 ms each (the machine is shared; the best round is the stable number). */
function msPerCall(op: () => void): number {
  const run = () => tf.tidy(op); // op returns nothing, so tidy frees every output
  run();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    let calls = 0;
    while (calls < 2 || performance.now() - start < 30) {
      run();
      calls++;
    }
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return +best.toFixed(3);
}

const rows: { op: string; stockMs: number; nativeMs?: number }[] = [];
let reason = '';
for (const [name, op] of Object.entries(OPS)) {
  if (!name.includes(filter)) continue;
  const call = () => void op(x, y, b);
  unregisterWasmKernels(tf);
  registerWasmFallbackKernels(tf); // stock + the JS kernels wasm lacks
  const stockMs = msPerCall(call);
  const native = registerNativeKernels(tf, nativeOptionsFromArgs());
  if (!native.ok) reason = native.reason;
  const nativeMs = native.ok ? msPerCall(call) : undefined;
  rows.push({ op: name, stockMs, ...(nativeMs !== undefined ? { nativeMs } : {}) });
  const ratio = nativeMs ? `×${(stockMs / nativeMs).toFixed(1)}` : '';
  console.log(
    `${name.padEnd(24)} stock ${stockMs.toFixed(2).padStart(8)} ms   native ${nativeMs?.toFixed(2).padStart(8) ?? '     n/a'} ms  ${ratio}`,
  );
}
if (reason) console.log(`native kernels unavailable: ${reason}`);
console.log(JSON.stringify({ bench: 'op-costs', shape: [R, 512], rows }));

// Profiles a transformer training step on the wasm backend, kernel by kernel.
// Usage: npx tsx bench/profile-step.ts [--stock] [--threads N] [--blas-core NAME|auto] [--steps N] [--batch B] [--tokens T] [--width C] [--depth D]
import * as tf from '@tensorflow/tfjs';

import {
  initWasmBackend,
  registerNativeKernels,
  registerWasmFallbackKernels,
} from '../src/index.js';
import { profileKernels } from '../src/kernel-profiler.js';
import { nativeOptionsFromArgs, numberArg } from './args.js';
import { makeTrainStep, type TransformerShape } from './transformer.js';

const shape: TransformerShape = {
  batch: numberArg('batch', 128),
  tokens: numberArg('tokens', 65),
  width: numberArg('width', 128),
  depth: numberArg('depth', 4),
  heads: numberArg('heads', 4),
  vocab: numberArg('vocab', 4096),
};
const steps = numberArg('steps', 3);
const stock = process.argv.includes('--stock');

await initWasmBackend(tf);
registerWasmFallbackKernels(tf);
const native = stock
  ? ({ ok: false, reason: '--stock' } as const)
  : registerNativeKernels(tf, nativeOptionsFromArgs());
console.log(
  native.ok
    ? `kernels: native, ${native.gemm}, ${native.threads} threads`
    : `kernels: stock + fallback (${native.reason})`,
);

const step = makeTrainStep(tf, shape);
step(); // warm-up: allocations, optimizer slots
// Unprofiled steps give the throughput (best and median: the machine is shared and noisy) ...
const times: number[] = [];
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  step();
  times.push(performance.now() - start);
}
times.sort((x, y) => x - y);
const best = times[0]!;
const median = times[Math.floor(times.length / 2)]!;
// ... then profiled steps give the per-kernel split.
const profiler = profileKernels(tf);
const start = performance.now();
for (let i = 0; i < steps; i++) step();
const ms = (performance.now() - start) / steps;
const report = profiler.report();
profiler.stop();
const kernelMs = report.reduce((t, r) => t + r.ms, 0) / steps;
const rate = (t: number) => ((shape.batch * 1000) / t).toFixed(1);
console.log(
  `step best ${best.toFixed(0)} ms (${rate(best)} samples/s), median ${median.toFixed(0)} ms (${rate(median)} samples/s)`,
);
console.log(`profiled: ${ms.toFixed(0)} ms/step, of which kernels ${kernelMs.toFixed(0)} ms`);
for (const r of report.slice(0, 25)) {
  console.log(
    `${r.kernel.padEnd(22)} ${(r.ms / steps).toFixed(1).padStart(8)} ms/step ${String(r.calls / steps).padStart(6)} calls  ${((100 * r.ms) / steps / ms).toFixed(1).padStart(5)}%`,
  );
}
console.log(
  JSON.stringify({
    bench: 'profile-step',
    shape,
    native: native.ok,
    bestMs: +best.toFixed(1),
    medianMs: +median.toFixed(1),
    samplesPerSec: +rate(best),
    medianSamplesPerSec: +rate(median),
    top: report.slice(0, 12).map((r) => ({
      kernel: r.kernel,
      msPerStep: +(r.ms / steps).toFixed(1),
      calls: r.calls / steps,
    })),
  }),
);

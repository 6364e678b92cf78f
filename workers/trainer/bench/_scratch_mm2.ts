// scratch: per-shape matmul timing of the real training step (delete before handing back)
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/index.js';
import { modelConfig, createModel } from '../src/model/index.js';
import { createOptimizer } from '../src/loop/setup.js';
import { trainStep } from '../src/loop/train-step.js';
import { parseRunSpec } from '@curio/contracts';
const preset = (process.argv[2] ?? 'tiny') as 'tiny' | 'small';
const B = preset === 'tiny' ? 128 : 64;
const steps = Number(process.argv[3] ?? 3);
const kernels = (process.argv[4] ?? 'BatchMatMul,_FusedMatMul').split(',');
await selectBackend({ forced: 'wasm-native', log: console.log, ...(process.argv.includes('auto') ? { nativeKernels: { blasCore: 'auto' } } : {}) });
const spec = parseRunSpec({ pool: { sources: [{ name: 'x', shards: ['x'] }] }, metadata: { names: ['x'] }, stop: { maxSteps: 1 }, model: { preset } });
const config = modelConfig(preset);
const model = createModel(spec.model, { seed: 0 });
const optimizer = createOptimizer(model, spec);
const images = tf.randomNormal([B, config.image.size, config.image.size, 3]) as tf.Tensor4D;
const tokens = tf.randomUniform([B, config.text.context], 1, config.text.vocab, 'int32') as tf.Tensor2D;
const step = () => trainStep(model, optimizer, { images, tokens }, { direction: 'symmetric', lr: 1e-4 });
step(); step();
const totals = new Map<string, { calls: number; ms: number; flops: number }>();
for (const name of kernels) {
  const cfg = tf.getKernel(name, 'wasm')!;
  const inner = cfg.kernelFunc;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...cfg, kernelFunc: (args) => {
    const t0 = performance.now();
    const out = inner(args);
    const ms = performance.now() - t0;
    const ins = (Object.values(args.inputs) as (tf.TensorInfo | undefined)[]).filter((t): t is tf.TensorInfo => !!t);
    const a = (args.attrs ?? {}) as Record<string, unknown>;
    const key = `${name} ${ins.map((t) => `[${t.shape}]`).join('')} ${a.transposeA ? 'tA' : ''}${a.transposeB ? 'tB' : ''} ${a.activation ?? ''}`;
    const o = (Array.isArray(out) ? out[0] : out) as tf.TensorInfo;
    let flops = 0;
    if (name.includes('MatMul')) { const sa = ins[0]!.shape; const k = a.transposeA ? sa[sa.length - 2]! : sa[sa.length - 1]!; flops = 2 * k * o.shape.reduce((x, y) => x * y, 1); }
    const e = totals.get(key) ?? { calls: 0, ms: 0, flops: 0 };
    if (key.includes("[128,128][128,128]") && process.argv.includes("log")) console.log("call", key, ms.toFixed(2)); e.calls++; e.ms += ms; e.flops += flops; totals.set(key, e);
    return out;
  } });
}
const c0 = process.cpuUsage(); const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const wall = (performance.now() - t0) / steps; const cpu = process.cpuUsage(c0);
console.log(`wall ${wall.toFixed(0)} ms/step, cpu ${((cpu.user + cpu.system) / 1000 / steps).toFixed(0)} ms/step`);
const rows = [...totals].sort((x, y) => y[1].ms - x[1].ms);
let tot = 0; for (const [, e] of rows) tot += e.ms;
console.log(`total in kernels ${(tot / steps).toFixed(0)} ms/step`);
for (const [k, e] of rows.slice(0, 40)) console.log(`${(e.ms / steps).toFixed(1).padStart(7)} ms ${String(e.calls / steps).padStart(4)}x ${e.flops ? (e.flops / e.ms / 1e6).toFixed(1).padStart(6) + ' GF/s' : ''}  ${k}`);

// Scratch: profile the trainer's real tiny-preset train step on wasm (stock or native).
import * as tf from '@tensorflow/tfjs';
import { initWasmBackend, registerNativeKernels, registerWasmFallbackKernels, profileKernels } from './src/index.js';
import { createModel } from '../../workers/trainer/src/model/factory.js';
import { AdamW } from '../../workers/trainer/src/optim/adamw.js';
import { trainStep } from '../../workers/trainer/src/loop/train-step.js';
const mode = process.argv[2] ?? 'native';
const preset = (process.argv[3] ?? 'tiny') as 'tiny' | 'small';
const batchSize = Number(process.argv[4] ?? 128);
await initWasmBackend(tf);
registerWasmFallbackKernels(tf);
if (mode !== 'stock') console.log(registerNativeKernels(tf, mode === 'auto' ? { blasCore: 'auto' } : {}));
const model = createModel({ preset, image: { trainable: 'all' }, text: { trainable: 'all' }, textPooling: 'mean', temperature: { kind: 'learnable', init: 0.07 } } as never, { seed: 1 });
const opt = new AdamW(model.variables(), { weightDecay: 0.2, decays: (n) => model.decays(n) });
const size = model.config.image.size;
const batch = { images: tf.randomUniform([batchSize, size, size, 3]) as tf.Tensor4D, tokens: tf.randomUniform([batchSize, model.config.text.context], 1, 100, 'int32') as tf.Tensor2D };
const step = () => trainStep(model, opt, batch, { direction: 'symmetric', lr: 1e-4 } as never);
step();
const times: number[] = [];
for (let i = 0; i < Number(process.argv[5] ?? 4); i++) { const s = performance.now(); step(); times.push(performance.now() - s); }
times.sort((a, b) => a - b);
console.log(`${mode} ${preset} b${batchSize}: best ${times[0]!.toFixed(0)} ms (${(batchSize * 1000 / times[0]!).toFixed(1)} samples/s) median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms`);
const prof = profileKernels(tf);
step(); step();
for (const r of prof.report().slice(0, 18)) console.log(r.kernel.padEnd(22), (r.ms / 2).toFixed(1).padStart(8), 'ms/step', String(r.calls / 2).padStart(5), 'calls');
prof.stop();

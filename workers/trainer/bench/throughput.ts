// npm run bench:throughput [-- --preset tiny|small] [--steps N]
// Training samples/s and achieved GFLOP/s of the presets (tiny at batch 128, small at batch 64)
// on every tfjs backend that starts here, each in its own process, and the PyTorch peer
// (../shared/peer/torch_clip.py) in the same sitting when python3-torch is installed, so the
// ratio is measured under the same machine load. Last line: one JSON object.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, BACKEND_NAMES } from '../src/backend/index.js';
import { modelConfig, createModel, forwardGflops } from '../src/model/index.js';
import { createOptimizer } from '../src/loop/setup.js';
import { trainStep } from '../src/loop/train-step.js';
import { parseRunSpec } from '@curio/contracts';

const BATCH = { tiny: 128, small: 64 } as const;
type Preset = keyof typeof BATCH;
const here = dirname(fileURLToPath(import.meta.url));

const { values } = parseArgs({
  options: { preset: { type: 'string' }, steps: { type: 'string', default: '8' }, one: { type: 'string' } },
});
const steps = Number(values.steps);
const presets: Preset[] = values.preset ? [values.preset as Preset] : ['tiny', 'small'];
for (const p of presets) if (!(p in BATCH)) throw new Error(`--preset must be tiny or small, got ${p}`);

/** In a child: time `steps` training steps of one preset on the forced backend. */
async function measureOne(preset: Preset): Promise<void> {
  const backend = await selectBackend({ forced: process.env.CURIO_TF_BACKEND, log: () => {} });
  const spec = parseRunSpec({ pool: { sources: [{ name: 'x', shards: ['x'] }] }, metadata: { names: ['x'] }, stop: { maxSteps: 1 }, model: { preset } });
  const config = modelConfig(preset);
  const model = createModel(spec.model, { seed: 0 });
  const optimizer = createOptimizer(model, spec);
  const B = BATCH[preset];
  const images = tf.randomNormal([B, config.image.size, config.image.size, 3]) as tf.Tensor4D;
  const tokens = tf.randomUniform([B, config.text.context], 1, config.text.vocab, 'int32') as tf.Tensor2D;
  const step = () => trainStep(model, optimizer, { images, tokens }, { direction: 'symmetric', lr: 1e-4 });
  step();
  step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - t0) / 1000;
  const sps = (B * steps) / seconds;
  console.log(JSON.stringify({ backend: backend.name, preset, batch: B, samples_per_s: +sps.toFixed(1), gflop_per_s: +(3 * forwardGflops(config) * sps).toFixed(1), fwd_gflop_per_sample: +forwardGflops(config).toFixed(4) }));
}

function lastJson(out: string): Record<string, unknown> {
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

function runPeer(preset: Preset): Record<string, unknown> {
  const script = resolve(here, '../../../../shared/peer/torch_clip.py');
  if (!existsSync(script)) return { peer: 'pytorch', skipped: `${script} not found` };
  try {
    return lastJson(execFileSync('/usr/bin/python3', [script, preset, String(BATCH[preset]), String(steps)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (err) {
    return { peer: 'pytorch', skipped: `torch peer failed (apt-get install python3-torch?): ${(err as Error).message.split('\n')[0]}` };
  }
}

async function main(): Promise<void> {
  if (values.one) return measureOne(values.one as Preset);
  const results: Record<string, unknown>[] = [];
  const skipped: Record<string, string> = {};
  for (const preset of presets) {
    const peer = runPeer(preset);
    console.log(JSON.stringify(peer));
    for (const backend of BACKEND_NAMES) {
      try {
        const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', preset, '--steps', String(steps)], {
          encoding: 'utf8',
          env: { ...process.env, CURIO_TF_BACKEND: backend },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const r = lastJson(out);
        const peerSps = typeof peer.samples_per_s === 'number' ? peer.samples_per_s : undefined;
        const row = { ...r, ...(peerSps ? { ratio_to_pytorch: +((r.samples_per_s as number) / peerSps).toFixed(2) } : {}) };
        console.log(JSON.stringify(row));
        results.push(row);
      } catch (err) {
        skipped[`${preset}/${backend}`] = ((err as { stderr?: string }).stderr ?? String(err)).trim().split('\n').at(-1) ?? 'failed';
      }
    }
    results.push({ ...peer, preset });
  }
  console.log(JSON.stringify({ bench: 'throughput', steps, results, skipped }));
}

await main();

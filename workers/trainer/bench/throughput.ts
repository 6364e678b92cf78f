// npm run bench:throughput [-- --preset tiny|small] [--steps N] [--repeat R] [--backends a,b]
//                          [--gemm env|builtin|openblas|both] [--blas-core env|auto|both] [--profile]
// Training samples/s and achieved GFLOP/s of the presets (tiny at batch 128, small at batch 64)
// on every tfjs backend that starts here, each in its own process, and the PyTorch peer
// (../shared/peer/torch_clip.py) in the same sitting when python3-torch is installed, so the
// ratio is measured under the same machine load. Last line: one JSON object.
//
// --gemm: the GEMM of wasm-native (CURIO_GEMM in its child): `env` (default) as the environment
// says, `builtin` or `openblas`, or `both` (one wasm-native arm per GEMM, interleaved).
// --blas-core: which OpenBLAS kernels the OpenBLAS users (wasm-native and the PyTorch peer) run.
// `env` (default): the environment as given (our addon and PyTorch's OpenBLAS both respect
// OPENBLAS_CORETYPE); `auto`: the wasm-native child passes nativeKernels: { blasCore: 'auto' }
// and the peer runs with OPENBLAS_CORETYPE unset; `both`: each round runs both. --repeat R runs
// R rounds (each: peer, then each backend, per setting) and keeps the best of each, since these
// machines are shared and noisy; ratios are best over best.
// --profile (with --one): per-kernel times of the measured steps, before the JSON line.
// --threads N: OpenBLAS threads of wasm-native (diagnostics; the peer always runs on 2).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { profileKernels } from '@curio/native-kernels';
import { selectBackend, BACKEND_NAMES } from '../src/backend/index.js';
import { modelConfig, createModel, forwardGflops } from '../src/model/index.js';
import { createOptimizer } from '../src/loop/setup.js';
import { trainStep } from '../src/loop/train-step.js';
import { parseRunSpec } from '@curio/contracts';

const BATCH = { tiny: 128, small: 64 } as const;
type Preset = keyof typeof BATCH;
type BlasSetting = 'env' | 'auto';
type Row = Record<string, unknown>;
const here = dirname(fileURLToPath(import.meta.url));

const { values } = parseArgs({
  options: {
    preset: { type: 'string' },
    steps: { type: 'string', default: '8' },
    repeat: { type: 'string', default: '1' },
    backends: { type: 'string' },
    gemm: { type: 'string', default: 'env' },
    'blas-core': { type: 'string', default: 'env' },
    profile: { type: 'boolean', default: false },
    threads: { type: 'string' },
    one: { type: 'string' },
  },
});
const steps = Number(values.steps);
const repeat = Math.max(1, Number(values.repeat));
const presets: Preset[] = values.preset ? [values.preset as Preset] : ['tiny', 'small'];
for (const p of presets)
  if (!(p in BATCH)) throw new Error(`--preset must be tiny or small, got ${p}`);
// The plain cpu backend trains at ~1 sample/s (minutes per measurement): only when asked for.
const backends = values.backends
  ? values.backends.split(',')
  : BACKEND_NAMES.filter((b) => b !== 'cpu');
for (const b of backends)
  if (!(BACKEND_NAMES as readonly string[]).includes(b)) throw new Error(`unknown backend ${b}`);
const blasArg = values['blas-core'];
if (!['env', 'auto', 'both'].includes(blasArg))
  throw new Error(`--blas-core must be env, auto or both, got ${blasArg}`);
const blasSettings: BlasSetting[] = blasArg === 'both' ? ['env', 'auto'] : [blasArg as BlasSetting];
const gemmArg = values.gemm;
if (!['env', 'builtin', 'openblas', 'both'].includes(gemmArg))
  throw new Error(`--gemm must be env, builtin, openblas or both, got ${gemmArg}`);
const gemmSettings = gemmArg === 'both' ? ['builtin', 'openblas'] : [gemmArg];

/** What each round measures: every backend, wasm-native once per GEMM setting ("wasm-native:builtin"). */
interface Arm {
  name: string;
  backend: string;
  gemm?: string;
}
const arms: Arm[] = backends.flatMap((backend) =>
  backend === 'wasm-native' && gemmArg !== 'env'
    ? gemmSettings.map((gemm) => ({ name: `${backend}:${gemm}`, backend, gemm }))
    : [{ name: backend, backend }],
);

/** In a child: time `steps` training steps of one preset on the forced backend. */
async function measureOne(preset: Preset): Promise<void> {
  let detail = '';
  const backend = await selectBackend({
    forced: process.env.CURIO_TF_BACKEND,
    log: (line) => (detail = line),
    nativeKernels: {
      ...(blasArg === 'auto' ? { blasCore: 'auto' } : {}),
      ...(values.threads ? { threads: Number(values.threads) } : {}),
    },
  });
  const info = detail.split(' — ')[1]; // e.g. "OpenBLAS 0.3.21 (Haswell kernels), 2 threads"
  const spec = parseRunSpec({
    pool: { sources: [{ name: 'x', shards: ['x'] }] },
    metadata: { names: ['x'] },
    stop: { maxSteps: 1 },
    model: { preset },
  });
  const config = modelConfig(preset);
  const model = createModel(spec.model, { seed: 0 });
  const optimizer = createOptimizer(model, spec);
  const B = BATCH[preset];
  const images = tf.randomNormal([B, config.image.size, config.image.size, 3]) as tf.Tensor4D;
  const tokens = tf.randomUniform(
    [B, config.text.context],
    1,
    config.text.vocab,
    'int32',
  ) as tf.Tensor2D;
  const step = () =>
    trainStep(model, optimizer, { images, tokens }, { direction: 'symmetric', lr: 1e-4 });
  step();
  step();
  const profiler = values.profile ? profileKernels(tf, tf.getBackend()) : undefined;
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  const seconds = times.reduce((a, b) => a + b, 0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (profiler) printProfile(profiler.report(), seconds * 1000);
  profiler?.stop();
  const sps = (B * steps) / seconds;
  const bestSps = (B * 1000) / Math.min(...times);
  const gflop = forwardGflops(config);
  console.log(
    JSON.stringify({
      backend: backend.name,
      ...(info ? { detail: info } : {}),
      preset,
      batch: B,
      samples_per_s: +sps.toFixed(1),
      best_step_samples_per_s: +bestSps.toFixed(1),
      cpu_ms_per_step: Math.round((cpu.user + cpu.system) / 1000 / steps),
      gflop_per_s: +(3 * gflop * sps).toFixed(1),
      fwd_gflop_per_sample: +gflop.toFixed(4),
    }),
  );
}

function printProfile(
  report: { kernel: string; calls: number; ms: number }[],
  totalMs: number,
): void {
  const kernelMs = report.reduce((t, r) => t + r.ms, 0);
  console.log(
    `profiled ${steps} steps: ${(totalMs / steps).toFixed(1)} ms/step, kernels ${(kernelMs / steps).toFixed(1)} ms/step`,
  );
  for (const r of report.slice(0, 30)) {
    const ms = r.ms / steps;
    console.log(
      `${r.kernel.padEnd(22)} ${ms.toFixed(2).padStart(8)} ms/step ${String(r.calls / steps).padStart(6)} calls ${((100 * r.ms) / totalMs).toFixed(1).padStart(5)}%`,
    );
  }
}

function lastJson(out: string): Row {
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Row;
}

function childEnv(blas: BlasSetting, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (blas === 'auto') delete env.OPENBLAS_CORETYPE;
  return env;
}

function runPeer(preset: Preset, blas: BlasSetting): Row {
  const script = resolve(here, '../../../../shared/peer/torch_clip.py');
  if (!existsSync(script)) return { peer: 'pytorch', skipped: `${script} not found` };
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [script, preset, String(BATCH[preset]), String(steps)],
      {
        encoding: 'utf8',
        env: childEnv(blas),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { ...lastJson(out), openblas_coretype: childEnv(blas).OPENBLAS_CORETYPE ?? 'unset' };
  } catch (err) {
    return {
      peer: 'pytorch',
      skipped: `torch peer failed (apt-get install python3-torch?): ${(err as Error).message.split('\n')[0]}`,
    };
  }
}

function runBackend(preset: Preset, arm: Arm, blas: BlasSetting): Row {
  const args = [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--one',
    preset,
    '--steps',
    String(steps),
    '--blas-core',
    blas,
  ];
  if (values.threads) args.push('--threads', values.threads);
  const out = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    env: childEnv(blas, {
      CURIO_TF_BACKEND: arm.backend,
      ...(arm.gemm ? { CURIO_GEMM: arm.gemm } : {}),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...lastJson(out), arm: arm.name };
}

const load = () => loadavg().map((x) => +x.toFixed(2));
const sps = (r: Row | undefined) =>
  typeof r?.samples_per_s === 'number' ? r.samples_per_s : undefined;
const better = (a: Row | undefined, b: Row) => ((sps(b) ?? -1) > (sps(a) ?? -1) ? b : (a ?? b));

/** Backends whose speed depends on OpenBLAS's kernels: the only ones worth a second setting. */
const OPENBLAS_BACKENDS = new Set(['wasm-native']);

async function main(): Promise<void> {
  if (values.one) return measureOne(values.one as Preset);
  const results: Row[] = [];
  const skipped: Record<string, string> = {};
  const loadBefore = load();
  for (const preset of presets) {
    // Rounds interleave the settings (peer, then each backend) so that each sees the same load.
    const best = new Map<string, Row>();
    const runs = new Map<string, number[]>();
    const record = (key: string, r: Row) => {
      best.set(key, better(best.get(key), r));
      runs.set(key, [...(runs.get(key) ?? []), sps(r) ?? NaN]);
    };
    for (let round = 0; round < repeat; round++) {
      for (const blas of blasSettings) {
        const p = runPeer(preset, blas);
        console.log(JSON.stringify({ round, blas_setting: blas, load: load(), ...p }));
        record(`${blas}/pytorch`, p);
        for (const arm of arms) {
          const key = `${preset}/${arm.name}/${blas}`;
          if (skipped[key] || (blas === 'auto' && !OPENBLAS_BACKENDS.has(arm.backend))) continue;
          try {
            const r = runBackend(preset, arm, blas);
            console.log(JSON.stringify({ round, blas_setting: blas, load: load(), ...r }));
            record(`${blas}/${arm.name}`, r);
          } catch (err) {
            const lines = ((err as { stderr?: string }).stderr ?? String(err)).trim().split('\n');
            // The error line, not Node's closing version banner.
            skipped[key] = lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? 'failed';
          }
        }
      }
    }
    for (const blas of blasSettings) {
      const peer = best.get(`${blas}/pytorch`);
      const peerSps = sps(peer);
      for (const arm of arms) {
        const r = best.get(`${blas}/${arm.name}`);
        if (!r) continue;
        const ratio = peerSps
          ? { ratio_to_pytorch: +((sps(r) as number) / peerSps).toFixed(2) }
          : {};
        const row = { ...r, blas_setting: blas, runs: runs.get(`${blas}/${arm.name}`), ...ratio };
        console.log(JSON.stringify(row));
        results.push(row);
      }
      results.push({ ...peer, preset, blas_setting: blas, runs: runs.get(`${blas}/pytorch`) });
      const builtin = sps(best.get(`${blas}/wasm-native:builtin`));
      const openblas = sps(best.get(`${blas}/wasm-native:openblas`));
      if (builtin && openblas)
        results.push({
          preset,
          blas_setting: blas,
          builtin_to_openblas: +(builtin / openblas).toFixed(2),
        });
    }
  }
  console.log(
    JSON.stringify({
      bench: 'throughput',
      steps,
      repeat,
      load: { before: loadBefore, after: load() },
      results,
      skipped,
    }),
  );
}

await main();

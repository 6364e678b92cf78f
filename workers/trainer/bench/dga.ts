// Peak memory of one training step of `tiny` at batch 512: plain (one forward/backward over the
// batch) against decoupled gradient accumulation with sub-batch 64. Each mode runs in its own
// child process so that its peak RSS is its own; tfjs's high-water mark is the largest
// tf.memory().numBytes seen after any kernel of the step. Prints one JSON object as its last line.
//
//   npm run bench:dga [-- --backend wasm-native|wasm|cpu|… --batch 512 --sub-batch 64 --preset tiny --steps 1]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { ModelSpec } from '@curio/contracts';
import { selectBackend } from '../src/backend/index.js';
import { trainStep } from '../src/loop/train-step.js';
import { createModel, forwardGflops, modelConfig, type Preset } from '../src/model/index.js';
import { AdamW } from '../src/optim/index.js';
import { Rng } from '@curio/random';

const { values } = parseArgs({
  options: {
    backend: { type: 'string' },
    preset: { type: 'string', default: 'tiny' },
    batch: { type: 'string', default: '512' },
    'sub-batch': { type: 'string', default: '64' },
    steps: { type: 'string', default: '1' },
    child: { type: 'string' },
  },
});
const preset = values.preset as Preset;
const batch = Number(values.batch);
const subBatch = Number(values['sub-batch']);
const steps = Number(values.steps);

interface ModeResult {
  mode: 'plain' | 'dga';
  backend: string;
  /** tf.memory().numBytes high-water during the measured steps. */
  peakTfBytes: number;
  /** Peak resident set of the whole process (KiB from getrusage, as bytes). */
  maxRssBytes: number;
  /** tf.memory().numBytes before the step: weights, optimizer state, the batch. */
  baseTfBytes: number;
  stepSeconds: number;
  loss: number;
}

/** Track the engine's byte count after every kernel (tfjs keeps no high-water mark itself). */
function trackPeakBytes(): { peak: () => number; reset: () => void } {
  const engine = tf.engine() as unknown as {
    runKernelFunc: (p: unknown) => unknown;
    state: { numBytes: number };
  };
  const run = engine.runKernelFunc.bind(engine);
  let peak = engine.state.numBytes;
  engine.runKernelFunc = (p: unknown) => {
    const out = run(p);
    if (engine.state.numBytes > peak) peak = engine.state.numBytes;
    return out;
  };
  return { peak: () => peak, reset: () => (peak = engine.state.numBytes) };
}

async function runMode(mode: 'plain' | 'dga'): Promise<ModeResult> {
  const selected = await selectBackend({
    ...(values.backend ? { forced: values.backend } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const model = createModel(ModelSpec.parse({ preset }), { seed: 0 });
  const { image, text } = model.config;
  const optimizer = new AdamW(model.trainableVariables(), {
    weightDecay: 0.2,
    decays: (n) => model.decays(n),
  });
  // A fixed synthetic batch: uniform pixels, captions of 8–context tokens.
  const rng = new Rng(1);
  const pixels = Float32Array.from(
    { length: batch * image.size * image.size * image.channels },
    () => rng.next(),
  );
  const ids = new Int32Array(batch * text.context);
  for (let b = 0; b < batch; b++) {
    const len = 8 + rng.int(text.context - 7);
    for (let t = 0; t < len; t++) ids[b * text.context + t] = 1 + rng.int(text.vocab - 1);
  }
  const images = tf.tensor4d(pixels, [batch, image.size, image.size, image.channels]);
  const tokens = tf.tensor2d(ids, [batch, text.context], 'int32');
  const options = {
    direction: 'symmetric' as const,
    lr: 1e-4,
    ...(mode === 'dga' ? { subBatch } : {}),
  };
  const tracker = trackPeakBytes();
  const baseTfBytes = tf.memory().numBytes;
  tracker.reset();
  const start = performance.now();
  let loss = NaN;
  for (let s = 0; s < steps; s++)
    loss = trainStep(model, optimizer, { images, tokens }, options).loss;
  const stepSeconds = (performance.now() - start) / 1000 / steps;
  return {
    mode,
    backend: selected.name,
    peakTfBytes: tracker.peak(),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    baseTfBytes,
    stepSeconds: Number(stepSeconds.toFixed(2)),
    loss,
  };
}

function runChild(mode: 'plain' | 'dga'): ModeResult | { mode: string; error: string } {
  const args = [
    ...process.execArgv,
    fileURLToPath(import.meta.url),
    ...process.argv.slice(2),
    '--child',
    mode,
  ];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ModeResult;
  } catch {
    return {
      mode,
      error: `child exited with ${child.status ?? child.signal}: ${last.slice(0, 300)}`,
    };
  }
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

if (values.child === 'plain' || values.child === 'dga') {
  try {
    console.log(JSON.stringify(await runMode(values.child)));
  } catch (error) {
    console.log(
      JSON.stringify({ mode: values.child, error: (error as Error).message.split('\n')[0] }),
    );
  }
} else {
  if (!Number.isInteger(batch / subBatch))
    throw new Error(`--sub-batch ${subBatch} must divide --batch ${batch}`);
  const plain = runChild('plain');
  const dga = runChild('dga');
  const ok = (r: typeof plain): r is ModeResult => !('error' in r);
  const summary = (r: typeof plain) =>
    ok(r)
      ? {
          ...r,
          peakTfMiB: mib(r.peakTfBytes),
          maxRssMiB: mib(r.maxRssBytes),
          baseTfMiB: mib(r.baseTfBytes),
        }
      : r;
  console.log(
    JSON.stringify({
      bench: 'dga',
      preset,
      batch,
      subBatch,
      steps,
      forwardGflopsPerSample: Number(forwardGflops(modelConfig(preset)).toFixed(4)),
      plain: summary(plain),
      dga: summary(dga),
      ...(ok(plain) && ok(dga)
        ? {
            peakTfRatio: Number((plain.peakTfBytes / dga.peakTfBytes).toFixed(2)),
            maxRssRatio: Number((plain.maxRssBytes / dga.maxRssBytes).toFixed(2)),
            lossDifference: Math.abs(plain.loss - dga.loss),
            timeRatio: Number((dga.stepSeconds / plain.stepSeconds).toFixed(2)),
          }
        : {}),
    }),
  );
}

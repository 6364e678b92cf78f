// A run with token learners in both towers: it trains, evaluates zero-shot, records its forward
// GFLOPs per tower, and resumes from a checkpoint on the same loss curve.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticDataResult } from '@curio/synthetic';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { latestCheckpoint, readCheckpointState } from '../src/checkpoint/checkpoint.js';
import { modelConfig, towerForwardGflops } from '../src/model/index.js';
import { outDir, runSpec, specFor, startBackend, tinyData } from './helpers.js';

let backend: string;
let data: SyntheticDataResult;

beforeAll(async () => {
  backend = await startBackend();
  data = await tinyData({ poolSize: 300, onTargetFraction: 0.5 });
});

describe('a run with token learners', () => {
  it('trains, evaluates, checkpoints and resumes on the same loss curve', async () => {
    const spec = specFor(data, {
      stop: { maxSteps: 8 },
      model: {
        preset: 'tiny',
        image: { tokenLearner: { at: 2, tokens: 8 } },
        text: { tokenLearner: { at: 2, tokens: 8 } },
      },
      training: { batchSize: 16, lr: 1e-3, warmupSteps: 2 },
      curation: { mode: 'none' },
      eval: { everySteps: 8, maxSamples: 60 },
      checkpoint: { everySteps: 4 },
    });
    const whole = await run(spec, await outDir());
    expect(whole.steps).toHaveLength(8);
    expect(whole.evals.at(-1)?.zeroShot.n).toBe(60);
    const plain = towerForwardGflops(modelConfig('tiny'));
    const reduced = whole.summary.forwardGflops;
    expect(reduced.image).toBeLessThan(plain.image);
    expect(reduced.text).toBeLessThan(plain.text);

    const dir = await outDir();
    const first = await run(spec, dir, 5);
    expect(first.checkpoints.at(-1)?.step).toBe(5);
    const store = new LocalBlobStore(dir);
    const state = await readCheckpointState(store, (await latestCheckpoint(store))!);
    expect(state.modelConfig.image.tokenLearner).toEqual({ at: 2, tokens: 8 });
    expect(state.forwardGflops).toEqual(reduced);
    const rest = await run(spec, dir, undefined, true);
    expect(rest.steps.map((s) => s.step)).toEqual([6, 7, 8]);
    rest.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(whole.steps[5 + i]!.loss, 5));
  });
});

function run(
  spec: ReturnType<typeof specFor>,
  dir: string,
  stopAfterStep?: number,
  resume = false,
) {
  return runSpec(spec, dir, {
    backend,
    resume,
    ...(stopAfterStep !== undefined ? { stopAfterStep } : {}),
  });
}

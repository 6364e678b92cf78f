// Whole training jobs on tiny synthetic data with the real model, data and curation.
import type { StopReason } from '@curio/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { latestCheckpoint } from '../src/checkpoint/checkpoint.js';
import { resolveConfig } from '../src/config.js';
import { runJob } from '../src/loop/job.js';
import type { SyntheticDataResult } from '@curio/synthetic';
import { memoryReporter } from '../src/output/memory-reporter.js';
import { outDir, specFor, startBackend, tinyData } from './helpers.js';

let backend: string;
let data: SyntheticDataResult;

beforeAll(async () => {
  backend = await startBackend();
  data = await tinyData({ poolSize: 800, onTargetFraction: 0.3 });
});

async function run(
  spec: ReturnType<typeof specFor>,
  dir: string,
  resume = false,
  cancelAfterStep?: number,
  stopReason?: StopReason,
) {
  const config = await resolveConfig(spec, { outDir: dir, baseDir: dir });
  const store = new LocalBlobStore(dir);
  const reporter = memoryReporter({
    stopAfterStep: cancelAfterStep,
    ...(stopReason ? { stopReason } : {}),
  });
  const resumeFrom = resume ? await latestCheckpoint(store) : undefined;
  const summary = await runJob({
    config,
    store,
    reporter,
    backend,
    ...(resumeFrom ? { resumeFrom } : {}),
  });
  return { summary, ...reporter.recorded };
}

describe('a CiT training job', () => {
  it('curates, trains with falling loss and beats chance at zero-shot', async () => {
    const spec = specFor(data, {
      stop: { maxSteps: 60 },
      eval: { everySteps: 30 },
      curation: { mode: 'cit', interval: 10 },
    });
    const r = await run(spec, await outDir());
    expect(r.summary.stopReason).toBe('max_steps');
    expect(r.steps).toHaveLength(60);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(r.steps.slice(0, 5).map((s) => s.loss));
    const last = mean(r.steps.slice(-5).map((s) => s.loss));
    expect(last).toBeLessThan(0.7 * first);
    // 12 classes: chance is 8.3%.
    const final = r.evals.at(-1)!;
    expect(final.step).toBe(60);
    expect(final.zeroShot.top1).toBeGreaterThan(0.25);
    expect(final.retrieval?.imageToText.r10).toBeGreaterThan(0);
    // Curation ran every 10 steps and kept mostly on-target pairs out of a 30% on-target pool.
    expect(r.rounds).toHaveLength(6);
    expect(r.rounds[0]!.keptOnTarget).toBeGreaterThan(0.5);
    // The pair filter (the model's image-text agreement) starts with the second round.
    expect(r.rounds[0]!.pairFilter).toBeUndefined();
    for (const round of r.rounds.slice(1)) {
      expect(round.pairFilter?.dropped).toBe(round.pairFiltered);
      expect(round.pairFilter?.floor).toBeLessThan(round.pairFilter!.medianAgreement!);
      expect(round.truth!.swappedDropped).toBeLessThanOrEqual(round.truth!.swappedHits);
    }
    expect(r.checkpoints.map((c) => c.step)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it.each(['cit', 'offline', 'none'] as const)(
    'resumes %s from a mid-round checkpoint on the same loss curve as an uninterrupted run',
    async (mode) => {
      // CiT with a low warm bar: the model adds from the second round, so the checkpoint keeps
      // the warm signal and the cap on its additions, and the round after the resume uses them.
      const cit = mode === 'cit';
      const spec = specFor(data, {
        stop: { maxSteps: cit ? 22 : 16 },
        curation: { mode, interval: 10, explore: 0.25, ...(cit ? { warmAgreement: 0.5 } : {}) },
        training: { batchSize: 16, lr: 1e-3, warmupSteps: 5, mixup: { enabled: true, alpha: 0.1 } },
      });
      const whole = await run(spec, await outDir());
      const dir = await outDir();
      // Stopped at step 13, three steps into the second curation round.
      const first = await run(spec, dir, false, 13);
      expect(first.summary.stopReason).toBe('canceled');
      expect(first.checkpoints.map((c) => c.step)).toEqual([10, 13]);
      const rest = await run(spec, dir, true);
      expect(rest.steps.map((s) => s.step)).toEqual(whole.steps.slice(13).map((s) => s.step));
      const expected = whole.steps.slice(13).map((s) => s.loss);
      rest.steps.forEach((s, i) =>
        expect(s.loss, `${mode} step ${s.step}`).toBeCloseTo(expected[i]!, 5),
      );
      if (!cit) {
        expect(rest.rounds).toHaveLength(0); // the round's pairs came from the checkpoint
        return;
      }
      expect(whole.rounds[1]!.handover?.added).toBeGreaterThan(0);
      // The third round, after the resume, decides as the uninterrupted run's did.
      expect(rest.rounds).toHaveLength(1);
      const [after, before] = [rest.rounds[0]!, whole.rounds[2]!];
      expect(after.handover).toEqual(before.handover);
      expect([after.kept, after.lexicalHits]).toEqual([before.kept, before.lexicalHits]);
    },
  );

  it('keeps the weights where it stopped, whatever stopped it', async () => {
    const tiny = { batchSize: 8, lr: 1e-3, warmupSteps: 1 };
    const cases: { why: StopReason; spec: ReturnType<typeof specFor>; stopAt?: number }[] = [
      { why: 'max_steps', spec: specFor(data, { stop: { maxSteps: 3 }, training: tiny }) },
      { why: 'max_minutes', spec: specFor(data, { stop: { maxMinutes: 1e-5 }, training: tiny }) },
      {
        why: 'target_accuracy',
        spec: specFor(data, {
          stop: { maxSteps: 50, targetAccuracy: { top1: 0 } },
          eval: { everySteps: 2 },
          training: tiny,
        }),
      },
      {
        why: 'canceled',
        spec: specFor(data, { stop: { maxSteps: 50 }, training: tiny }),
        stopAt: 3,
      },
      {
        why: 'max_cost',
        spec: specFor(data, { stop: { maxSteps: 50 }, training: tiny }),
        stopAt: 1,
      },
    ];
    for (const c of cases) {
      const dir = await outDir();
      const r = await run(c.spec, dir, false, c.stopAt, c.why);
      expect(r.summary.stopReason, c.why).toBe(c.why);
      // Every case stops inside the first curation round (interval 10), with no periodic checkpoint.
      expect(r.summary.steps, c.why).toBeLessThan(10);
      expect(
        r.checkpoints.map((k) => k.step),
        c.why,
      ).toEqual([r.summary.steps]);
      expect(await latestCheckpoint(new LocalBlobStore(dir)), c.why).toBe(r.checkpoints[0]!.key);
    }
  });

  it('stops at the target accuracy and says so', async () => {
    const spec = specFor(data, {
      stop: { maxSteps: 200, targetAccuracy: { top1: 0.2 } },
      eval: { everySteps: 10 },
    });
    const r = await run(spec, await outDir());
    expect(r.summary.stopReason).toBe('target_accuracy');
    expect(r.summary.steps).toBeLessThan(200);
    expect(r.evals.at(-1)!.zeroShot.top1).toBeGreaterThanOrEqual(0.2);
  });

  it('refuses a tower init by checkpoint reference standalone (only the API resolves those)', async () => {
    const spec = specFor(data, {
      stop: { maxSteps: 5 },
      model: { preset: 'tiny', image: { init: { checkpoint: 'ckpt_1' } } },
    });
    await expect(run(spec, await outDir())).rejects.toThrow(
      'model init {"checkpoint":"ckpt_1"}: a checkpoint reference is resolved by the API',
    );
  });

  it('fails with a message naming an eval set the target refers to but the spec lacks', async () => {
    const spec = specFor(data, {
      stop: { maxSteps: 5, targetAccuracy: { top1: 0.5, evalSet: 'imagenet' } },
    });
    await expect(run(spec, await outDir())).rejects.toThrow(
      /targetAccuracy names eval set imagenet/,
    );
  });
});

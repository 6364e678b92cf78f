// Whole training jobs on tiny synthetic data with the real model, data and curation.
import type { StopReason } from '@curio/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { latestCheckpoint, loadCheckpoint } from '../src/checkpoint/checkpoint.js';
import type { SyntheticDataResult } from '@curio/synthetic';
import { outDir, runSpec, specFor, startBackend, tinyData } from './helpers.js';

let backend: string;
let data: SyntheticDataResult;

beforeAll(async () => {
  backend = await startBackend();
  data = await tinyData({ poolSize: 800, onTargetFraction: 0.3 });
});

function run(
  spec: ReturnType<typeof specFor>,
  dir: string,
  resume = false,
  stopAfterStep?: number,
  stopReason?: StopReason,
) {
  return runSpec(spec, dir, {
    backend,
    resume,
    ...(stopAfterStep !== undefined ? { stopAfterStep } : {}),
    ...(stopReason ? { stopReason } : {}),
  });
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
      // CiT with a low warm bar: the model turns warm within a few rounds of 10 steps. The run is
      // stopped three steps into the first round in which the model added pairs, so that the
      // checkpoint keeps the warm signal, the cap on the additions and the word scorer, and the
      // round after the resume must decide as the uninterrupted run's did.
      const cit = mode === 'cit';
      const spec = specFor(data, {
        stop: { maxSteps: cit ? 50 : 16 },
        curation: { mode, interval: 10, explore: 0.25, ...(cit ? { warmAgreement: 0.5 } : {}) },
        training: { batchSize: 16, lr: 1e-3, warmupSteps: 5, mixup: { enabled: true, alpha: 0.1 } },
      });
      const whole = await run(spec, await outDir());
      // Rounds are 10 steps each here (`interval` 10 is also the shortest round).
      const adding = cit ? whole.rounds.findIndex((r) => (r.handover?.added ?? 0) > 0) : 1;
      expect(adding, 'a round in which the model added pairs').toBeGreaterThan(0);
      expect(adding).toBeLessThan(4);
      const stopAt = 10 * adding + 3;
      const dir = await outDir();
      const first = await run(spec, dir, false, stopAt);
      expect(first.summary.stopReason).toBe('canceled');
      expect(first.checkpoints.at(-1)?.step).toBe(stopAt);
      const rest = await run(spec, dir, true);
      const after = whole.steps.slice(stopAt);
      expect(rest.steps.map((s) => s.step)).toEqual(after.map((s) => s.step));
      rest.steps.forEach((s, i) =>
        expect(s.loss, `${mode} step ${s.step}`).toBeCloseTo(after[i]!.loss, 5),
      );
      // The round the checkpoint was taken in came back from it; later rounds curated anew.
      const later = whole.rounds.slice(adding + 1);
      expect(rest.rounds).toHaveLength(later.length);
      rest.rounds.forEach((r, i) => {
        const w = later[i]!;
        expect(r.handover).toEqual(w.handover);
        expect([r.kept, r.lexicalHits, r.smoothedAgreement]).toEqual([
          w.kept,
          w.lexicalHits,
          w.smoothedAgreement,
        ]);
      });
    },
  );

  it('reports the temperature τ of every step (its checkpoint holds the last) and samples by shard and key', async () => {
    const training = { batchSize: 8, lr: 0.05, warmupSteps: 1 };
    const learnable = specFor(data, { stop: { maxSteps: 4 }, training });
    const dir = await outDir();
    const r = await run(learnable, dir);
    const taus = r.steps.map((s) => s.temperature);
    expect(taus).toHaveLength(4);
    // The model learns log(1/τ) from τ = 0.07 at a large rate: τ moves from its start.
    expect(taus.every((t) => t >= 0.01 && t !== 0.07)).toBe(true);
    const store = new LocalBlobStore(dir);
    const saved = await loadCheckpoint(store, (await latestCheckpoint(store))!);
    const logScale = saved.weights.get('logit_scale')![0]!;
    expect(taus.at(-1)).toBeCloseTo(1 / Math.exp(logScale), 6);
    // Its curation round names a few kept and rejected pairs by shard and key (for their images).
    const { keptSamples, rejectedSamples } = r.rounds[0]!;
    expect([keptSamples.length, rejectedSamples.length]).toEqual([5, 5]);
    for (const sample of [...keptSamples, ...rejectedSamples])
      expect(sample.shard.startsWith(data.poolDir) && sample.key.length > 0).toBe(true);

    const fixed = specFor(data, {
      stop: { maxSteps: 2 },
      training,
      model: { preset: 'tiny', temperature: { kind: 'fixed', value: 0.05 } },
    });
    const f = await run(fixed, await outDir());
    expect(f.steps.map((s) => s.temperature)).toEqual([0.05, 0.05]);
  });

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

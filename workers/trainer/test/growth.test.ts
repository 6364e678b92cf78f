// Growth runs (GrowCLIP, METHODS.md §3) end to end on tiny synthetic data: a parent trained by a
// plain job, then growth jobs from its checkpoint folder.
import { GrowthStepData, type GrowthSpec } from '@curio/contracts';
import type { SyntheticDataResult } from '@curio/synthetic';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { latestCheckpoint, readCheckpointState } from '../src/checkpoint/checkpoint.js';
import { exportCheckpoint } from '../src/export/export.js';
import { outDir, runSpec, specFor, startBackend, tinyData } from './helpers.js';

let backend: string;
let data: SyntheticDataResult;
let parentDir: string;

const training = { batchSize: 16, lr: 1e-3, warmupSteps: 2 };

const run = (spec: ReturnType<typeof specFor>, dir: string, resume = false, stopAt?: number) =>
  runSpec(spec, dir, {
    backend,
    resume,
    ...(stopAt !== undefined ? { stopAfterStep: stopAt } : {}),
  });

const growthSpec = (growth: Partial<GrowthSpec>, maxSteps = 4) =>
  specFor(data, {
    stop: { maxSteps },
    training,
    curation: { mode: 'none' },
    checkpoint: { everySteps: 2, keep: 5 },
    growth: { parent: parentDir, proxy: { steps: 2 }, heldOut: 32, ...growth },
  });

beforeAll(async () => {
  backend = await startBackend();
  data = await tinyData({ poolSize: 400, onTargetFraction: 0.5 });
  parentDir = await mkdtemp(join(tmpdir(), 'curio-parent-'));
  await run(
    specFor(data, { stop: { maxSteps: 4 }, training, curation: { mode: 'none' } }),
    parentDir,
  );
}, 120_000);

describe('a growth run', () => {
  it('tries every candidate, continues the best with CiT, reports a valid growth event, and exports or refuses', async () => {
    const dir = await outDir();
    const spec = {
      ...growthSpec({ operators: ['addBlocks', 'addSharedBlocks'], towers: ['text'] }),
      curation: { mode: 'cit' as const, interval: 2 },
    };
    const r = await run(spec, dir);
    // CiT curates the new data; the grown model is not cold: its first round measures the warm
    // signal and runs the pair filter (a cold model's first round does neither).
    expect(r.rounds).toHaveLength(2);
    const first = r.rounds[0]!;
    expect(first.lexicalAgreement).not.toBeNull();
    expect(first.pairFilter).toBeDefined();
    expect(first.warm).toBe(first.smoothedAgreement! >= 0.8);
    expect(r.summary.stopReason).toBe('max_steps');
    expect(r.evals.map((e) => e.step)).toEqual([0, 4]); // the grown model's first evaluation, the last
    expect(r.growth).toHaveLength(1);
    const g = r.growth[0]!;
    expect(GrowthStepData.safeParse(g).success).toBe(true);
    expect(g.candidates.map((c) => c.name)).toEqual(['text+1block', 'shared+1block']);
    expect(g.parentArchitecture).toMatchObject({ name: 'tiny', text: { depth: 4 } });
    for (const c of g.candidates) {
      expect(c.proxySteps).toBe(2);
      expect(c.gflopsPerSample).toBeGreaterThan(g.parentGflopsPerSample);
      expect(Number.isFinite(c.score)).toBe(true);
    }
    const best = Math.min(...g.candidates.map((c) => c.score));
    expect(g.candidates[g.chosen]!.score).toBe(best);
    // Every checkpoint names the parent and holds the chosen architecture.
    expect(r.checkpoints.map((c) => c.parentCheckpoint)).toEqual([parentDir, parentDir]);
    const key = (await latestCheckpoint(new LocalBlobStore(dir)))!;
    const state = await readCheckpointState(new LocalBlobStore(dir), key);
    expect(state.modelConfig).toEqual(g.candidates[g.chosen]!.architecture);
    expect(state.parentCheckpoint).toBe(parentDir);
    const exported = exportCheckpoint(join(dir, key), join(dir, 'export'));
    if (state.modelConfig.shared) await expect(exported).rejects.toThrow(/shared block/);
    else await expect(exported).resolves.toMatchObject({ tensors: expect.any(Number) });
  });

  it('resumes a grown model exactly (the checkpoint’s architecture, not the preset)', async () => {
    const spec = growthSpec({ operators: ['addHeads'], towers: ['image'] }, 4);
    const whole = await run(spec, await outDir());
    const dir = await outDir();
    const first = await run(spec, dir, false, 2);
    expect(first.checkpoints.map((c) => c.step)).toEqual([2]);
    const rest = await run(spec, dir, true);
    expect(rest.growth).toHaveLength(0); // no second search on resume
    expect(rest.steps.map((s) => s.step)).toEqual([3, 4]);
    rest.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(whole.steps[2 + i]!.loss, 5));
    const export_ = exportCheckpoint(join(dir, 'checkpoints/00000004'), join(dir, 'export'));
    await expect(export_).rejects.toThrow(/attention width/);
  });

  it('fails clearly when no candidate fits the budget or the parent is missing', async () => {
    const tight = growthSpec({ budget: { maxParams: 10 } });
    await expect(run(tight, await outDir())).rejects.toThrow(/no candidate child fits the budget/);
    const missing = growthSpec({ parent: join(parentDir, 'nowhere') });
    await expect(run(missing, await outDir())).rejects.toThrow(/nowhere/);
  });
});

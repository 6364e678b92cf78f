// Worker mode end to end against the in-memory protocol server: a real (tiny) job reports over
// HTTP, a second attempt resumes from the checkpoint the first uploaded, failures and cancels are
// reported as such. (The API's own end-to-end tests run the real API with the LocalDispatcher.)
import {
  GrowthStepData,
  type DataAccess,
  type RunSpecInput,
  type WorkerAssignment,
} from '@curio/contracts';
import { PUBLIC_ONLY } from '@curio/webdataset';
import { realpath } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { specFor, startBackend, tinyData } from '../../test/helpers.js';
import type { SyntheticDataResult } from '@curio/synthetic';
import { startFakeApi, type FakeApi } from './test-server.js';
import { runWorker } from './worker.js';

let backend: string;
let data: SyntheticDataResult;
let api: FakeApi | undefined;

beforeAll(async () => {
  backend = await startBackend();
  data = await tinyData({ poolSize: 200, onTargetFraction: 0.3 });
  data = { ...data, outDir: await realpath(data.outDir) };
});
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const spec = (o: Partial<RunSpecInput> = {}) =>
  specFor(data, {
    stop: { maxSteps: 6 },
    training: { batchSize: 16, lr: 1e-3, warmupSteps: 2 },
    curation: { mode: 'cit', interval: 3 },
    checkpoint: { everySteps: 3 },
    eval: { everySteps: 3, maxSamples: 24 },
    ...o,
  });

/** The run's team's access: the synthetic data folder granted. */
const granted = (): DataAccess => ({
  ...PUBLIC_ONLY,
  grants: [{ kind: 'directory', location: data.outDir }],
});

function assign(a: FakeApi, input: RunSpecInput, more: Partial<WorkerAssignment> = {}): void {
  a.assignment = {
    runId: a.runId,
    attempt: 1,
    spec: input as WorkerAssignment['spec'],
    heartbeatSeconds: 1,
    dataAccess: granted(),
    ...more,
  };
}

async function work(a: FakeApi) {
  const lines: string[] = [];
  const outcome = await runWorker({
    apiUrl: a.url,
    runId: a.runId,
    token: a.token,
    backend,
    device: 'cpu',
    flushMs: 200,
    log: (l) => lines.push(l),
  });
  return { outcome, lines };
}

describe('worker mode', () => {
  it('runs the assigned job and reports it over HTTP; a second attempt resumes from the uploaded checkpoint', async () => {
    api = await startFakeApi();
    assign(api, spec());
    const first = await work(api);
    expect(first.outcome).toEqual({ status: 'succeeded' });
    expect(api.started).toEqual([{ attempt: 1, backend, device: 'cpu' }]);
    expect(api.metrics.filter((p) => p.name === 'loss').map((p) => p.step)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(api.checkpoints.map((c) => [c.step, c.key])).toEqual([
      [3, 'checkpoints/00000003'],
      [6, 'checkpoints/00000006'],
    ]);
    expect(api.checkpoints[0]!.architecture).toMatchObject({
      preset: 'tiny',
      image: expect.any(Object),
      text: expect.any(Object),
    });
    expect(api.checkpoints[0]!.sizeBytes).toBeGreaterThan(0);
    expect(api.evaluations.map((e) => [e.step, e.evalSet, e.checkpointKey])).toEqual([
      [3, 'shapes', 'checkpoints/00000003'],
      [6, 'shapes', 'checkpoints/00000006'],
    ]);
    expect(api.events.filter((e) => e.type === 'curation').map((e) => e.data?.round)).toEqual([
      1, 2,
    ]);
    expect(api.events.some((e) => e.type === 'log' && /^pool: \d+ pairs/.test(e.message))).toBe(
      true,
    );
    expect(api.heartbeats.length).toBeGreaterThanOrEqual(1);
    expect(api.heartbeats[0]).toMatchObject({ attempt: 1 });
    expect(api.finished).toEqual([
      { status: 'succeeded', stopReason: 'max_steps', steps: 6, deviceSeconds: expect.any(Number) },
    ]);
    expect(api.blobs.has('checkpoints/00000003/state.json')).toBe(true);
    expect(api.requests.every((r) => r.authorization === `Bearer ${api!.token}`)).toBe(true);

    // Attempt 2 resumes from step 3, reading the checkpoint back through the blob endpoints.
    const lossAt4 = api.metrics.find((p) => p.name === 'loss' && p.step === 4)!.value;
    api.metrics.length = 0;
    api.finished.length = 0;
    assign(api, spec(), { attempt: 2, resumeFrom: 'checkpoints/00000003' });
    const second = await work(api);
    expect(second.outcome).toEqual({ status: 'succeeded' });
    expect(second.lines).toContain('resumed from checkpoints/00000003 at step 3');
    expect(api.metrics.filter((p) => p.name === 'loss').map((p) => p.step)).toEqual([4, 5, 6]);
    expect(api.metrics.find((p) => p.name === 'loss' && p.step === 4)!.value).toBeCloseTo(
      lossAt4,
      4,
    );
    expect(api.finished).toEqual([
      { status: 'succeeded', stopReason: 'max_steps', steps: 6, deviceSeconds: expect.any(Number) },
    ]);
  });

  it('grows from a parent checkpoint by reference: growth event, parent on every checkpoint', async () => {
    api = await startFakeApi();
    assign(api, spec({ evalSets: [], curation: { mode: 'none' }, stop: { maxSteps: 3 } }));
    expect((await work(api)).outcome).toEqual({ status: 'succeeded' });
    // The parent's files, served on the inits endpoint as the API serves `growth.parent`.
    for (const [key, bytes] of api.blobs)
      if (key.startsWith('checkpoints/00000003/'))
        api.inits.set(key.replace('checkpoints/00000003/', 'ck_parent/'), bytes);
    api.events.length = 0;
    api.checkpoints.length = 0;
    const growth = {
      parent: { checkpoint: 'ck_parent' },
      operators: ['addBlocks' as const],
      towers: ['image' as const],
      proxy: { steps: 1 },
      heldOut: 16,
    };
    assign(api, spec({ evalSets: [], curation: { mode: 'none' }, growth }), { attempt: 2 });
    expect((await work(api)).outcome).toEqual({ status: 'succeeded' });
    const events = api.events.filter((e) => e.type === 'growth');
    expect(events).toHaveLength(1);
    const step = GrowthStepData.parse(events[0]!.data);
    expect(step.parentCheckpoint).toBe('ck_parent');
    expect(step.candidates.map((c) => c.name)).toEqual(['image+1block']);
    expect(api.checkpoints.map((c) => [c.step, c.parentCheckpoint])).toEqual([
      [3, 'ck_parent'],
      [6, 'ck_parent'],
    ]);
    expect(api.checkpoints[0]!.architecture).toMatchObject({ image: { depth: 5 } });
  });

  it('applies retention through the API: the checkpoints it lets go are deleted there', async () => {
    api = await startFakeApi();
    assign(api, spec({ evalSets: [], checkpoint: { everySteps: 2, keep: 1 } }));
    expect((await work(api)).outcome).toEqual({ status: 'succeeded' });
    expect(api.checkpoints.map((c) => c.step)).toEqual([2, 4, 6]);
    const deletes = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes).toEqual(
      ['checkpoints/00000002', 'checkpoints/00000004'].map(
        (k) => `/v1/worker/runs/${api!.runId}/blobs/${k}`,
      ),
    );
    expect(new Set([...api.blobs.keys()].map((k) => k.split('/').slice(0, 2).join('/')))).toEqual(
      new Set(['checkpoints/00000006']),
    );
  });

  it('stops when the heartbeat says the run was canceled, keeping the weights where it stopped', async () => {
    api = await startFakeApi();
    assign(api, spec({ stop: { maxSteps: 1000 } }));
    api.heartbeatAnswer = { stop: true, reason: 'canceled' };
    const r = await work(api);
    expect(r.outcome).toEqual({ status: 'canceled' });
    expect(api.finished).toEqual([
      { status: 'canceled', steps: expect.any(Number), deviceSeconds: expect.any(Number) },
    ]);
    const { steps } = api.finished[0] as { steps: number };
    expect(steps).toBeLessThan(1000);
    // The final checkpoint went up after the cancel: its files, then its record.
    expect(api.checkpoints.map((c) => c.step)).toEqual([steps]);
    const key = api.checkpoints[0]!.key;
    expect([...api.blobs.keys()].filter((k) => k.startsWith(`${key}/`)).sort()).toEqual(
      ['optimizer.bin', 'state.json', 'tokenizer.json', 'weights.bin'].map((f) => `${key}/${f}`),
    );
  });

  it('reports a job that throws as failed with its message', async () => {
    api = await startFakeApi();
    assign(
      api,
      spec({ stop: { maxSteps: 5, targetAccuracy: { top1: 0.5, evalSet: 'imagenet' } } }),
    );
    const r = await work(api);
    expect(r.outcome).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/targetAccuracy names eval set imagenet/),
    });
    expect(api.started).toHaveLength(1);
    expect(api.finished).toEqual([
      {
        status: 'failed',
        error: expect.stringMatching(/targetAccuracy names eval set imagenet/),
        deviceSeconds: expect.any(Number),
      },
    ]);
  });

  it('reports a spec it cannot resolve as failed, without saying started', async () => {
    api = await startFakeApi();
    assign(api, spec({ metadata: { file: '/nonexistent/metadata.txt' } }));
    const r = await work(api);
    expect(r.outcome).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /data location \/nonexistent\/metadata.txt does not exist or is not granted/,
      ),
    });
    expect(api.started).toEqual([]);
    expect(api.finished).toHaveLength(1);
  });

  it("reads only what its run's team may read, refusing the rest like a missing file", async () => {
    api = await startFakeApi();
    assign(api, spec(), { dataAccess: { ...PUBLIC_ONLY, grants: [] } });
    const nothing = await work(api);
    const unavailable = (location: string) =>
      `data location ${location} does not exist or is not granted to this team`;
    expect(nothing.outcome).toEqual({ status: 'failed', error: unavailable(data.metadataFile) });
    expect(api.started).toEqual([]);

    api.finished.length = 0;
    assign(api, spec(), { dataAccess: { ...granted(), protectedDirs: [data.poolDir] } });
    const pool = await work(api);
    expect(pool.outcome).toMatchObject({ status: 'failed' });
    expect((pool.outcome as { error: string }).error).toContain(unavailable(data.poolDir));
    expect(api.metrics.filter((p) => p.name === 'loss')).toEqual([]);
  });
});

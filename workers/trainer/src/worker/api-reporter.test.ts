// The API reporter against an in-memory WorkerApi, on fake timers: batching, evaluations and
// checkpoints, heartbeats and the stop answers they carry, and the final report.
import {
  GrowthStepData,
  WorkerCheckpoint,
  type HeartbeatAnswer,
  type MetricPoint,
  type WorkerEvaluation,
  type WorkerFinished,
} from '@curio/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CurationRoundStats } from '../curation/curator.js';
import type { EvalReport, RunSummary, StepReport } from '../loop/reporter.js';
import type { WorkerApi, WorkerEvent } from './api-client.js';
import { ApiReporter, type ApiReporterOptions } from './api-reporter.js';
import { HttpError } from './retry.js';

function memoryApi() {
  const sent = {
    metrics: [] as MetricPoint[][],
    events: [] as WorkerEvent[][],
    heartbeats: [] as { attempt: number; step: number; deviceSeconds: number }[],
    checkpoints: [] as WorkerCheckpoint[],
    evaluations: [] as WorkerEvaluation[],
    finished: [] as WorkerFinished[],
    order: [] as string[],
  };
  const state = {
    answer: { stop: false } as HeartbeatAnswer,
    heartbeatError: undefined as Error | undefined,
    metricsFailures: 0,
  };
  const api: WorkerApi = {
    blobsUri: 'mem://blobs',
    assignment: async () => Promise.reject(new Error('unused')),
    started: async () => {},
    heartbeat: async (b) => {
      sent.heartbeats.push(b);
      if (state.heartbeatError) throw state.heartbeatError;
      return state.answer;
    },
    metrics: async (points) => {
      if (state.metricsFailures > 0 && state.metricsFailures--) throw new Error('API away');
      sent.metrics.push(points);
      sent.order.push('metrics');
    },
    events: async (events) => void (sent.events.push(events), sent.order.push('events')),
    checkpoint: async (c) => (
      sent.checkpoints.push(c),
      sent.order.push('checkpoint'),
      { id: 'ck' }
    ),
    evaluation: async (e) => (
      sent.evaluations.push(e),
      sent.order.push(`evaluation ${e.step}`),
      { id: 'ev' }
    ),
    finished: async (f) => void (sent.finished.push(f), sent.order.push('finished')),
    putBlob: async () => {},
    getBlob: async () => undefined,
    listBlobs: async () => [],
    getInitBlob: async () => undefined,
    deleteBlob: async () => {},
  };
  return { api, sent, state };
}

const stepReport = (step: number): StepReport => ({
  step,
  loss: 3 - step / 100,
  lr: 1e-3,
  gradNorm: step === 2 ? Number.NaN : 1,
  samplesPerSec: 100,
  gflopPerSec: 5,
  batchSize: 8,
  ...(step > 1 ? { curationRatio: 0.25 } : {}),
  elapsedSeconds: step,
});
const evalReport = (step: number): EvalReport => ({
  evalSet: 'shapes',
  zeroShot: { top1: 0.4, top5: 0.9, n: 12 },
  step,
  elapsedSeconds: step * 2,
});
const summary = (o: Partial<RunSummary>): RunSummary => ({
  steps: 10,
  stopReason: 'max_steps',
  elapsedSeconds: 10,
  backend: 'cpu',
  evaluations: [],
  dataProblems: '',
  ...o,
});

let reporters: ApiReporter[] = [];
beforeEach(() => void vi.useFakeTimers());
afterEach(async () => {
  await Promise.all(reporters.map((r) => r.close()));
  reporters = [];
  vi.useRealTimers();
});

function reporter(api: WorkerApi, o: Partial<ApiReporterOptions> = {}) {
  const r = new ApiReporter({
    api,
    attempt: 2,
    heartbeatSeconds: 5,
    flushMs: 3000,
    flushPoints: 40,
    architecture: async (key) => ({ preset: 'tiny', key }),
    ...o,
  });
  reporters.push(r);
  return r;
}

describe('ApiReporter', () => {
  it('buffers metric points and sends them every few seconds, or at once when enough wait', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    for (let s = 1; s <= 3; s++) r.step(stepReport(s));
    r.log('hello', { k: 1 });
    await vi.advanceTimersByTimeAsync(2900);
    expect(sent.metrics).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent.metrics).toHaveLength(1);
    const names = (step: number) =>
      sent.metrics[0]!.filter((p) => p.step === step).map((p) => p.name);
    expect(names(1)).toEqual(['loss', 'lr', 'grad_norm', 'samples_per_sec', 'gflop_per_sec']);
    expect(names(2)).toEqual(['loss', 'lr', 'samples_per_sec', 'gflop_per_sec', 'curation_ratio']); // NaN grad norm left out
    expect(sent.events).toEqual([[{ type: 'log', message: 'hello', data: { k: 1 } }]]);
    for (let s = 4; s <= 9; s++) r.step(stepReport(s)); // 6 × 6 = 36 points < 40
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.metrics).toHaveLength(1);
    r.step(stepReport(10)); // 42 ≥ 40: sent at once
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.metrics).toHaveLength(2);
    expect(sent.metrics[1]).toHaveLength(42);
  });

  it('sends log text the store can hold: a cut UTF-16 pair and NUL become U+FFFD', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    const long = 'x'.repeat(9_999) + '\ud83d\ude00'; // the 10,000-character cut halves the pair
    r.log(long, { caption: 'a\0b', ['k\ud800']: ['\udc00'] });
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.events[0]).toEqual([
      {
        type: 'log',
        message: 'x'.repeat(9_999) + '\ufffd',
        data: { caption: 'a\ufffdb', ['k\ufffd']: ['\ufffd'] },
      },
    ]);
  });

  it('keeps points that could not be sent and sends them later, in order', async () => {
    const { api, sent, state } = memoryApi();
    const r = reporter(api);
    state.metricsFailures = 1;
    r.step(stepReport(1));
    await vi.advanceTimersByTimeAsync(3000);
    r.step(stepReport(2));
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.metrics.flat().map((p) => p.step)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it('sends curation rounds as events with their stats', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    const stats = {
      round: 1,
      scanned: 100,
      kept: 25,
      ratio: 0.25,
      keptOnTarget: 0.8,
      lexicalAgreement: Number.NaN,
    } as CurationRoundStats;
    r.curation(10, stats);
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.events[0]).toEqual([
      {
        type: 'curation',
        message: 'curation round 1 @ step 10: kept 25/100 (25.0%)',
        data: { step: 10, ...stats },
      },
    ]);
    expect(sent.metrics[0]).toEqual([{ step: 10, name: 'curation_on_target', value: 0.8 }]);
  });

  it('sends a growth step as a growth event that validates, and the parent with each checkpoint', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    const candidate = {
      name: 'text+1block',
      operator: 'addBlocks' as const,
      architecture: { name: 'tiny/text+1block' },
      gflopsPerSample: 0.2,
      params: 900,
      score: 2.5,
      proxySteps: 5,
      seconds: 1.5,
    };
    const growth = {
      step: 0,
      parentCheckpoint: 'ck_parent',
      parentArchitecture: { name: 'tiny' },
      parentGflopsPerSample: 0.16,
      parentParams: 800,
      parentScore: 2.7,
      score: 'contrastive-loss' as const,
      momentum: 0.9,
      candidates: [candidate],
      chosen: 0,
    };
    r.growth(growth);
    await r.checkpoint({
      step: 2,
      key: 'checkpoints/00000002',
      sizeBytes: 1,
      parentCheckpoint: 'ck_parent',
    });
    await vi.advanceTimersByTimeAsync(3000);
    const event = sent.events.flat().find((e) => e.type === 'growth')!;
    expect(event.message).toBe(
      'growth @ step 0: 1 candidates, chose text+1block (contrastive-loss 2.5000)',
    );
    expect(GrowthStepData.parse(event.data)).toEqual(growth);
    expect(sent.checkpoints[0]).toMatchObject({ step: 2, parentCheckpoint: 'ck_parent' });
    expect(WorkerCheckpoint.safeParse(sent.checkpoints[0]).success).toBe(true);
  });

  it('posts a checkpoint with its architecture, then the evaluations of that step with its key', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    r.step(stepReport(5));
    r.evaluation(evalReport(5));
    await r.checkpoint({ step: 5, key: 'checkpoints/00000005', sizeBytes: 1234 });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.checkpoints).toEqual([
      {
        step: 5,
        key: 'checkpoints/00000005',
        sizeBytes: 1234,
        architecture: { preset: 'tiny', key: 'checkpoints/00000005' },
      },
    ]);
    expect(sent.evaluations).toEqual([
      {
        step: 5,
        evalSet: 'shapes',
        checkpointKey: 'checkpoints/00000005',
        metrics: { zeroShot: { top1: 0.4, top5: 0.9, n: 12 } },
        elapsedSeconds: 10,
      },
    ]);
    // An evaluation with no checkpoint at its step goes out with the next step, without a key.
    r.evaluation(evalReport(7));
    r.step(stepReport(8));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.evaluations[1]).toMatchObject({ step: 7 });
    expect(sent.evaluations[1]!.checkpointKey).toBeUndefined();
    expect(sent.order.slice(0, 3)).toEqual(['metrics', 'checkpoint', 'evaluation 5']); // points up to a checkpoint go first
  });

  it('beats every heartbeatSeconds with the step and the attempt device time, without waiting on the answer', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.heartbeats).toEqual([{ attempt: 2, step: 0, deviceSeconds: 0 }]);
    r.step(stepReport(7));
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.heartbeats[1]).toEqual({ attempt: 2, step: 7, deviceSeconds: 5 });
    expect(r.stopRequested()).toBeUndefined();
  });

  it('stops when the heartbeat answer says canceled, and reports the run canceled', async () => {
    const { api, sent, state } = memoryApi();
    const r = reporter(api);
    r.step(stepReport(3));
    state.answer = { stop: true, reason: 'canceled' };
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.stopRequested()).toBe('canceled');
    state.answer = { stop: false }; // a stop answer sticks
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.stopRequested()).toBe('canceled');
    await r.finished(summary({ steps: 3, stopReason: 'canceled' }));
    expect(sent.finished).toEqual([{ status: 'canceled', steps: 3, deviceSeconds: 10 }]);
    expect(r.outcome).toEqual({ status: 'canceled' });
    expect(sent.order.at(-1)).toBe('finished');
    expect(sent.metrics.flat()).toHaveLength(6); // flushed before the final status
  });

  it('sends only the final checkpoint once canceled (no metrics, events or evaluations), then reports canceled', async () => {
    const { api, sent, state } = memoryApi();
    const r = reporter(api);
    r.step(stepReport(3));
    state.answer = { stop: true };
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.stopRequested()).toBe('canceled');
    expect(r.writesClosed()).toBe(true);
    expect(r.droppedReason()).toBeUndefined();
    r.step(stepReport(4));
    r.evaluation(evalReport(4));
    await r.checkpoint({ step: 4, key: 'checkpoints/00000004', sizeBytes: 1 });
    await r.finished(summary({ steps: 4, stopReason: 'canceled' }));
    // What was sent before the answer, then the checkpoint of where the run stopped.
    expect(sent.order).toEqual(['metrics', 'checkpoint', 'finished']);
    expect(sent.checkpoints.map((c) => c.step)).toEqual([4]);
    expect(sent.finished).toEqual([{ status: 'canceled', steps: 4, deviceSeconds: 5 }]);
  });

  it('drops the attempt when a write is answered 409 (an old attempt, or a final run)', async () => {
    const { api, sent } = memoryApi();
    api.metrics = async () =>
      Promise.reject(
        new HttpError('POST /metrics → 409 Conflict: superseded: run is on attempt 3; stop', 409),
      );
    const r = reporter(api);
    r.step(stepReport(1));
    await vi.advanceTimersByTimeAsync(3000);
    expect(r.droppedReason()).toMatch(/409 Conflict: superseded/);
    expect(r.stopRequested()).toBe('canceled');
    await r.finished(summary({ steps: 1, stopReason: 'canceled' }));
    expect(r.outcome).toEqual({ status: 'dropped', reason: expect.stringMatching(/409 Conflict/) });
    expect(sent.finished).toEqual([]);
  });

  it('stops at max_cost and reports success with that reason', async () => {
    const { api, sent, state } = memoryApi();
    const r = reporter(api);
    state.answer = { stop: true, reason: 'max_cost' };
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.stopRequested()).toBe('max_cost');
    await r.finished(summary({ steps: 4, stopReason: 'max_cost' }));
    expect(sent.finished).toEqual([
      { status: 'succeeded', stopReason: 'max_cost', steps: 4, deviceSeconds: 5 },
    ]);
  });

  it('drops out without a word when the run was superseded, and refuses further checkpoints', async () => {
    const { api, sent, state } = memoryApi();
    state.answer = { stop: true, reason: 'superseded' };
    const r = reporter(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(r.stopRequested()).toBe('canceled');
    expect(r.droppedReason()).toMatch(/superseded/);
    r.step(stepReport(1));
    await r.checkpoint({ step: 1, key: 'checkpoints/00000001', sizeBytes: 1 });
    await r.fail(new Error('not writing: superseded'));
    expect(r.outcome).toEqual({ status: 'dropped', reason: 'the API says the run is superseded' });
    expect([sent.finished, sent.checkpoints, sent.metrics]).toEqual([[], [], []]);
  });

  it('treats a refused heartbeat (token revoked, run gone) like a superseded run', async () => {
    const { api, state } = memoryApi();
    state.heartbeatError = new HttpError('POST /heartbeat → 401 Unauthorized: token revoked', 401);
    const r = reporter(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(r.stopRequested()).toBe('canceled');
    expect(r.droppedReason()).toMatch(/401 Unauthorized: token revoked/);
  });

  it('reports a failure after a terminating signal, and gives up on an API that stays silent', async () => {
    const { api, sent } = memoryApi();
    const received: { signal?: string } = {};
    const r = reporter(api, { terminated: () => received.signal, lostContactMs: 60_000 });
    expect(r.stopRequested()).toBeUndefined();
    received.signal = 'SIGTERM';
    expect(r.stopRequested()).toBe('canceled');
    await r.finished(summary({ steps: 6, stopReason: 'canceled' }));
    expect(sent.finished).toEqual([
      { status: 'failed', error: 'worker stopped by SIGTERM after 6 steps', deviceSeconds: 0 },
    ]);

    const silent = memoryApi();
    const r2 = reporter(silent.api, { lostContactMs: 60_000 });
    silent.state.heartbeatError = new TypeError('fetch failed');
    await vi.advanceTimersByTimeAsync(55_000);
    expect(r2.stopRequested()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r2.stopRequested()).toBe('error');
    await r2.finished(summary({ stopReason: 'error' }));
    expect(silent.sent.finished[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^lost contact with the API: no heartbeat answered for 6\ds$/),
    });
  });

  it('reports a job that threw as failed with its message, after what was buffered', async () => {
    const { api, sent } = memoryApi();
    const r = reporter(api);
    r.step(stepReport(1));
    r.evaluation(evalReport(1));
    await r.fail(new Error('training diverged: loss is NaN at step 2'));
    expect(sent.order).toEqual(['evaluation 1', 'metrics', 'finished']);
    expect(sent.finished).toEqual([
      { status: 'failed', error: 'training diverged: loss is NaN at step 2', deviceSeconds: 0 },
    ]);
    expect(r.outcome).toEqual({
      status: 'failed',
      error: 'training diverged: loss is NaN at step 2',
    });
  });
});

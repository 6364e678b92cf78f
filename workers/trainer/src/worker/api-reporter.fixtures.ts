// The API reporter's test bench: an in-memory WorkerApi that records what it was sent, report
// builders, and reporters on fake timers that are closed after each test.
import type {
  HeartbeatAnswer,
  MetricPoint,
  WorkerCheckpoint,
  WorkerEvaluation,
  WorkerFinished,
} from '@curio/contracts';
import { afterEach, beforeEach, vi } from 'vitest';
import type { EvalReport, RunSummary, StepReport } from '../loop/reporter.js';
import type { WorkerApi, WorkerEvent } from './api-client.js';
import { ApiReporter, type ApiReporterOptions } from './api-reporter.js';

export function memoryApi() {
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

export const stepReport = (step: number): StepReport => ({
  step,
  loss: 3 - step / 100,
  lr: 1e-3,
  temperature: 0.07 - step / 1e4,
  gradNorm: step === 2 ? Number.NaN : 1,
  samplesPerSec: 100,
  gflopPerSec: 5,
  batchSize: 8,
  ...(step > 1 ? { curationRatio: 0.25 } : {}),
  elapsedSeconds: step,
});
export const evalReport = (step: number): EvalReport => ({
  evalSet: 'shapes',
  zeroShot: { top1: 0.4, top5: 0.9, n: 12 },
  step,
  elapsedSeconds: step * 2,
});
export const summary = (o: Partial<RunSummary>): RunSummary => ({
  steps: 10,
  stopReason: 'max_steps',
  elapsedSeconds: 10,
  backend: 'cpu',
  forwardGflops: { image: 0.065, text: 0.037 },
  evaluations: [],
  dataProblems: '',
  ...o,
});

let reporters: ApiReporter[] = [];

/** Fake timers for each test of the calling file, and its reporters closed after each. */
export function useFakeTimersAndClose(): void {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(async () => {
    await Promise.all(reporters.map((r) => r.close()));
    reporters = [];
    vi.useRealTimers();
  });
}

export function reporter(api: WorkerApi, o: Partial<ApiReporterOptions> = {}) {
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

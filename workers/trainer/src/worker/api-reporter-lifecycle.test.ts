// The API reporter against an in-memory WorkerApi, on fake timers: heartbeats and the stop
// answers they carry, attempts fenced off, and the final report.
import {} from '@curio/contracts';
import { describe, expect, it, vi } from 'vitest';
import { HttpError } from './retry.js';
import {
  evalReport,
  memoryApi,
  reporter,
  stepReport,
  summary,
  useFakeTimersAndClose,
} from './api-reporter.fixtures.js';

useFakeTimersAndClose();

describe('ApiReporter: heartbeats, stops and the final report', () => {
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
    expect(sent.metrics.flat()).toHaveLength(7); // flushed before the final status
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

  it('after a stop signal, a refused event closes the writes but the final checkpoint still goes', async () => {
    const { api, sent } = memoryApi();
    const received: { signal?: string } = {};
    api.events = async () =>
      Promise.reject(
        new HttpError(
          'POST /events → 409 Conflict: run r is canceled; stop',
          409,
          undefined,
          'run-canceled',
        ),
      );
    const r = reporter(api, { terminated: () => received.signal });
    r.step(stepReport(3));
    received.signal = 'SIGTERM'; // the dispatcher's terminate, before the heartbeat's answer
    r.log('stopping');
    await vi.advanceTimersByTimeAsync(3000);
    expect(r.writesClosed()).toBe(true);
    expect(r.droppedReason()).toBeUndefined();
    await r.checkpoint({ step: 3, key: 'checkpoints/00000003', sizeBytes: 1 });
    expect(sent.checkpoints.map((c) => c.step)).toEqual([3]);
    // The cancel's refusal before any signal (it beat the terminate): the same, and the job stops.
    const early = memoryApi();
    early.api.events = api.events;
    const r3 = reporter(early.api);
    r3.log('hello');
    await vi.advanceTimersByTimeAsync(3000);
    expect(r3.stopRequested()).toBe('canceled');
    expect(r3.droppedReason()).toBeUndefined();
    await r3.checkpoint({ step: 2, key: 'checkpoints/00000002', sizeBytes: 1 });
    expect(early.sent.checkpoints.map((c) => c.step)).toEqual([2]);
    // Any other refusal without a signal (an old attempt) drops the attempt, checkpoint and all.
    const plain = memoryApi();
    plain.api.events = async () =>
      Promise.reject(
        new HttpError('POST /events → 409 Conflict: superseded: run r was re-queued; stop', 409),
      );
    const r2 = reporter(plain.api);
    r2.log('hello');
    await vi.advanceTimersByTimeAsync(3000);
    expect(r2.droppedReason()).toMatch(/409 Conflict/);
    await r2.checkpoint({ step: 1, key: 'checkpoints/00000001', sizeBytes: 1 });
    expect(plain.sent.checkpoints).toEqual([]);
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

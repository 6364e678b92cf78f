import { describe, expect, it } from 'vitest';
import { RunCreate } from './api/runs.js';
import { INT4_MAX } from './bounds.js';
import { parseRunSpec } from './run-spec.js';
import { WorkerHeartbeat, WorkerMetrics, WorkerStarted } from './worker-protocol.js';

const minimal = {
  pool: { sources: [{ name: 'web', shards: ['data/pool'] }] },
  metadata: { names: ['red circle'] },
  stop: { maxSteps: 10 },
};

describe('bounds', () => {
  it('refuse numbers a run spec cannot hold, naming the field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ stop: { maxSteps: 2 ** 31 } }, /stop\.maxSteps/],
      [{ training: { batchSize: 1_000_000 } }, /training\.batchSize/],
      [{ training: { batchSize: 128, subBatch: 2 ** 40 } }, /training\.subBatch/],
      [{ eval: { everySteps: 2 ** 31 } }, /eval\.everySteps/],
      [{ checkpoint: { everySteps: -1 } }, /checkpoint\.everySteps/],
      [{ seed: INT4_MAX + 1 }, /seed/],
      [{ data: { prefetchBatches: 10_000 } }, /data\.prefetchBatches/],
      [{ curation: { interval: 1e12 } }, /curation\.interval/],
    ];
    for (const [patch, field] of cases)
      expect(() => parseRunSpec({ ...minimal, ...patch }), JSON.stringify(patch)).toThrow(field);
    expect(parseRunSpec({ ...minimal, stop: { maxSteps: 100_000_000 } }).stop.maxSteps).toBe(1e8);
  });

  it('keep worker reports inside the int4 columns', () => {
    const beat = WorkerHeartbeat.safeParse({ attempt: 1, step: 2147483648, deviceSeconds: 1 });
    expect(beat.success).toBe(false);
    expect(beat.error?.issues[0]?.path).toEqual(['step']);
    expect(WorkerHeartbeat.safeParse({ attempt: 2 ** 31, step: 1, deviceSeconds: 1 }).success).toBe(
      false,
    );
    const points = WorkerMetrics.safeParse({ points: [{ step: -1, name: 'loss', value: 1 }] });
    expect(points.error?.issues[0]?.path).toEqual(['points', 0, 'step']);
  });

  it('take a device only as a device kind, never a path', () => {
    const run = RunCreate.safeParse({ experimentId: 'exp_1', device: '../../../../etc/passwd' });
    expect(run.error?.issues[0]?.path).toEqual(['device']);
    expect(RunCreate.safeParse({ experimentId: 'exp_1', device: 'nvidia-h100' }).success).toBe(
      true,
    );
    const started = { attempt: 1, backend: 'wasm', device: 'cpu; rm -rf /' };
    expect(WorkerStarted.safeParse(started).success).toBe(false);
  });
});

// Growth fixtures made through the API as the platform and a worker make them: a run of an
// experiment acting as its worker (started, checkpoints, evaluations, growth events), and shards
// appended to a pool.
import { join } from 'node:path';
import type { GrowthStepData } from '@curio/contracts';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import type { TestApi } from './api.js';
import { saveCheckpoint } from './checkpoints.js';
import { writePoolShard } from './data.js';

export const TINY = {
  name: 'tiny',
  image: { depth: 2, width: 32, heads: 2 },
  text: { depth: 2, width: 32, heads: 2 },
};

/** A run acting as its worker: `started` sent; checkpoints, evaluations and events to follow. */
export async function workerOf(api: TestApi, runId: string) {
  const attempt = (await beginAttempt(api.ctx, runId))!;
  const token = attempt.token;
  const w = (path: string) => `/v1/worker/runs/${runId}${path}`;
  await api.json('POST', w('/started'), 204, {
    key: token,
    json: { attempt: 1, backend: 'wasm', device: 'cpu' },
  });
  const assignment = await api.json('GET', w('/assignment'), 200, { key: token });
  return {
    runId,
    token,
    w,
    spec: assignment.spec,
    checkpoint: (step: number, extra: Record<string, unknown> = {}) =>
      saveCheckpoint(api, { token, w }, step, { architecture: TINY, ...extra }),
    evaluate: (step: number, top1: number) =>
      api.json('POST', w('/evaluations'), 200, {
        key: token,
        json: {
          step,
          evalSet: assignment.spec.evalSets[0].name,
          metrics: { zeroShot: { top1, top5: 1, n: 2 } },
          elapsedSeconds: step,
        },
      }),
    events: (events: { type: string; message: string; data?: unknown }[]) =>
      api.json('POST', w('/events'), 204, { key: token, json: { events } }),
    finish: (steps: number) =>
      api.json('POST', w('/finished'), 204, {
        key: token,
        json: { status: 'succeeded', stopReason: 'max_steps', steps, deviceSeconds: 1 },
      }),
  };
}

/** Append `count` new 5-pair shards (under `dataDir`, which the team was granted) to a pool. */
export async function appendShards(
  api: TestApi,
  key: string,
  cat: { poolId: string; dataDir: string },
  label: string,
  count = 1,
): Promise<string[]> {
  const files = [];
  for (let i = 0; i < count; i++)
    files.push(await writePoolShard(join(cat.dataDir, 'pool', `${label}-${i}.tar`), 5));
  await api.json('POST', `/v1/pools/${cat.poolId}/shards`, 201, { key, json: { shards: files } });
  return files;
}

/** A growth step as the trainer reports it: two candidates, the second chosen. */
export function growthStep(parentCheckpoint: string, step = 0): GrowthStepData {
  const child = (name: string, depth: number, score: number) => ({
    name,
    operator: 'addBlocks' as const,
    architecture: { ...TINY, image: { ...TINY.image, depth } },
    gflopsPerSample: 0.01 * depth,
    params: 1000 * depth,
    score,
    proxySteps: 5,
    seconds: 0.5,
  });
  return {
    step,
    parentCheckpoint,
    parentArchitecture: TINY,
    parentGflopsPerSample: 0.02,
    parentParams: 2000,
    parentScore: 2.5,
    score: 'contrastive-loss',
    momentum: 0.9,
    candidates: [child('image+1block', 3, 2.4), child('image+2blocks', 4, 2.2)],
    chosen: 1,
  };
}

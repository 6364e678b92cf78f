// A run with its first attempt begun (as the dispatch loop does), for tests that act as the worker.
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { bootstrapTeam, type TestApi } from './api.js';
import { createCatalog } from './catalog.js';

/** $ per hour: 1 cent per second on H100, 0.1 cent on cpu. */
export const TEST_PRICES = { cpu: 3.6, 'nvidia-h100': 36 };

export async function runWithAttempt(api: TestApi, runOptions: Record<string, unknown> = {}) {
  const { key } = await bootstrapTeam(api, 'Workers');
  const cat = await createCatalog(api, key);
  const run = await api.json('POST', '/v1/runs', 201, {
    key,
    json: { experimentId: cat.experimentId, ...runOptions },
  });
  const attempt = (await beginAttempt(api.ctx, run.id))!;
  const w = (path: string) => `/v1/worker/runs/${run.id}${path}`;
  return { key, cat, run, token: attempt.token, attempt, w };
}

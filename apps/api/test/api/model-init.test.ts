// Models by reference: a tower's init names a checkpoint of the team's own (by id, or by run and
// step); the API resolves it when a run is created, refuses a path, answers another team's
// checkpoint or run exactly as a missing one, and the run's worker reads only that checkpoint.
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { bootstrapTeam, problemOf, testApi, type TestApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { FILES, runWithCheckpoint } from '../support/checkpoints.js';

async function experimentWith(api: TestApi, key: string, init: unknown) {
  const cat = await createCatalog(api, key);
  return api.call('POST', '/v1/experiments', {
    key,
    json: {
      name: `init-${Math.random().toString(36).slice(2, 8)}`,
      config: {
        poolId: cat.poolId,
        metadataSetId: cat.metadataSetId,
        stop: { maxSteps: 5 },
        model: { image: { init }, text: { trainable: 'all' } },
      },
    },
  });
}

describe('model init by reference', () => {
  pgTest('resolves a checkpoint of the team and lets the run’s worker read it', async ({ db }) => {
    const api = await testApi(db);
    const a = await runWithCheckpoint(api);
    const res = await experimentWith(api, a.key, { run: a.run.id, step: 5 });
    expect(res.status).toBe(201);
    const experiment = (await res.json()) as { id: string };
    const run = await api.json('POST', '/v1/runs', 201, {
      key: a.key,
      json: { experimentId: experiment.id },
    });
    const shown = await api.json('GET', `/v1/runs/${run.id}`, 200, { key: a.key });
    expect(shown.spec.model.image.init).toEqual({ checkpoint: a.ckpt.id });

    const { token } = (await beginAttempt(api.ctx, run.id))!;
    const w = (path: string) => `/v1/worker/runs/${run.id}${path}`;
    const file = await api.call('GET', w(`/inits/${a.ckpt.id}/weights.bin`), { key: token });
    expect(file.status).toBe(200);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual(FILES['weights.bin']);
    // Only the checkpoint the spec names: not another of the team's, not a file it lacks.
    const other = await runWithCheckpoint(api);
    for (const path of [
      `/inits/${other.ckpt.id}/weights.bin`,
      `/inits/${a.ckpt.id}/optimizer.bin`,
    ]) {
      const refused = await api.call('GET', w(path), { key: token });
      expect(refused.status, path).toBe(404);
    }
    expect((await api.call('GET', w(`/inits/${a.ckpt.id}/..%2Fx`), { key: token })).status).toBe(
      400,
    );
    await api.cleanup();
  });

  pgTest(
    'refuses a path, and another team’s checkpoint or run as a missing one',
    async ({ db }) => {
      const api = await testApi(db);
      const a = await runWithCheckpoint(api);
      const b = await bootstrapTeam(api, 'Other');
      const refusal = async (init: unknown) => {
        const res = await experimentWith(api, b.key, init);
        expect(res.status, JSON.stringify(init)).toBe(422);
        const problem = await problemOf(res);
        return { type: problem.type, errors: problem.errors };
      };
      const byPath = await refusal('/srv/curio/blobs/run_x/checkpoints/00000005');
      expect(byPath.errors).toEqual([
        {
          path: 'config.model.image.init',
          message: expect.stringMatching(/a path is not accepted/),
        },
      ]);
      const fakeCheckpoint = 'ckpt_00000000000000000000000000';
      const crossed = await refusal({ checkpoint: a.ckpt.id });
      const missing = await refusal({ checkpoint: fakeCheckpoint });
      expect(JSON.stringify(crossed).replaceAll(a.ckpt.id, fakeCheckpoint)).toBe(
        JSON.stringify(missing),
      );
      const fakeRun = 'run_00000000000000000000000000';
      const crossedRun = await refusal({ run: a.run.id, step: 5 });
      const missingRun = await refusal({ run: fakeRun, step: 5 });
      expect(JSON.stringify(crossedRun).replaceAll(a.run.id, fakeRun)).toBe(
        JSON.stringify(missingRun),
      );
      expect(missingRun.errors[0]!.message).toBe(`run ${fakeRun} has no checkpoint at step 5`);
      await api.cleanup();
    },
  );
});

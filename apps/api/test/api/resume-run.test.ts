// A new run resuming from an earlier run's checkpoint (the run page's "retry from the last
// checkpoint"): the new run holds a copy of the checkpoint as its own, and its worker's assignment
// resumes from it; a checkpoint of another team, of another experiment, or a path is refused and
// nothing is stored.
import { eq } from '@curio/db';
import { checkpoints } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { bootstrapTeam, problemOf, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { FILES, runWithCheckpoint, saveCheckpoint } from '../support/checkpoints.js';

describe('resuming a new run from a checkpoint', () => {
  pgTest("the new run's worker resumes from the failed run's last checkpoint", async ({ db }) => {
    const api = await testApi(db);
    const first = await runWithCheckpoint(api, 5);
    const last = await saveCheckpoint(api, first, 9);
    await api.json('POST', `/v1/runs/${first.run.id}/cancel`, 200, { key: first.key });

    const retry = await api.json('POST', '/v1/runs', 201, {
      key: first.key,
      json: { experimentId: first.cat.experimentId, resumeFrom: { run: first.run.id } },
    });
    const detail = await api.json('GET', `/v1/runs/${retry.id}`, 200, { key: first.key });
    expect(detail.checkpoints).toHaveLength(1);
    expect(detail.checkpoints[0].step).toBe(9);
    expect(detail.resumeCheckpointId).toBe(detail.checkpoints[0].id);
    expect(detail.resumeCheckpointId).not.toBe(last.id);
    const events = await api.json('GET', `/v1/runs/${retry.id}/events`, 200, { key: first.key });
    expect(events.items[0]).toMatchObject({ data: { resumeFrom: last.id } });
    const [copy] = await db
      .select()
      .from(checkpoints)
      .where(eq(checkpoints.id, detail.resumeCheckpointId));
    expect(copy).toMatchObject({ runId: retry.id, parentCheckpointId: last.id });

    // The worker of the new run is told to resume from it, and reads its files in its own space.
    const attempt = (await beginAttempt(api.ctx, retry.id))!;
    const w = (path: string) => `/v1/worker/runs/${retry.id}${path}`;
    const assignment = await api.json('GET', w('/assignment'), 200, { key: attempt.token });
    expect(assignment.resumeFrom).toBe(last.key);
    for (const [name, bytes] of Object.entries(FILES)) {
      const res = await api.call('GET', w(`/blobs/${last.key}/${name}`), { key: attempt.token });
      expect(res.status).toBe(200);
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual(bytes);
    }

    // A checkpoint named by id, at an earlier step, works the same way.
    const byId = await api.json('POST', '/v1/runs', 201, {
      key: first.key,
      json: { experimentId: first.cat.experimentId, resumeFrom: { checkpoint: first.ckpt.id } },
    });
    const byIdDetail = await api.json('GET', `/v1/runs/${byId.id}`, 200, { key: first.key });
    expect(byIdDetail.checkpoints.map((c: { step: number }) => c.step)).toEqual([5]);
  });

  pgTest('another team, another experiment or a path is refused', async ({ db }) => {
    const api = await testApi(db);
    const first = await runWithCheckpoint(api, 5);
    const other = await bootstrapTeam(api, 'Other');
    const otherCat = await createCatalog(api, other.key);
    const sameTeamCat = await createCatalog(api, first.key);

    const refused = async (
      key: string,
      experimentId: string,
      resumeFrom: unknown,
      status = 422,
    ) => {
      const res = await api.call('POST', '/v1/runs', { key, json: { experimentId, resumeFrom } });
      expect(res.status).toBe(status);
      return problemOf(res);
    };
    for (const ref of [{ checkpoint: first.ckpt.id }, { run: first.run.id }]) {
      const problem = await refused(other.key, otherCat.experimentId, ref);
      expect(problem.errors).toEqual([{ path: 'resumeFrom', message: expect.any(String) }]);
      expect(problem.detail).not.toContain(first.ckpt.key);
    }
    const wrongExperiment = await refused(first.key, sameTeamCat.experimentId, {
      checkpoint: first.ckpt.id,
    });
    expect(wrongExperiment.detail).toMatch(/is of a run of experiment/);
    await refused(first.key, first.cat.experimentId, first.ckpt.key, 400);
    await refused(first.key, first.cat.experimentId, { run: first.run.id, step: 6 });

    const otherRuns = await api.json('GET', '/v1/runs', 200, { key: other.key });
    expect(otherRuns.items).toEqual([]);
    const runs = await api.json('GET', '/v1/runs', 200, { key: first.key });
    expect(runs.items).toHaveLength(1);
  });
});

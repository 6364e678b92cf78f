// Lineage: checkpoints carry their parent (the run's previous checkpoint; a growth run's first
// checkpoint its growth parent; a run started from `model.init`, the init checkpoint), the
// worker's growth events are stored as growth steps, and GET /v1/experiments/{id}/lineage serves
// the tree to the owning team only.
import { eq } from '@curio/db';
import { checkpoints, growthSteps } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { bootstrapTeam, problemOf, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { growthStep, workerOf } from '../support/growth.js';

describe('lineage', () => {
  pgTest('stored from the worker and served as a tree, to its team only', async ({ db }) => {
    const api = await testApi(db);
    const { key } = await bootstrapTeam(api, 'Lineage');
    const cat = await createCatalog(api, key);
    const start = (json: Record<string, unknown> = {}) =>
      api.json('POST', '/v1/runs', 201, { key, json: { experimentId: cat.experimentId, ...json } });

    const first = await workerOf(api, (await start()).id);
    const a5 = await first.checkpoint(5);
    const a10 = await first.checkpoint(10);
    await first.evaluate(10, 0.7);
    await first.finish(10);

    // A growth run of the same experiment, from a10: its first checkpoint names it as its parent.
    const exp2 = await api.json('POST', '/v1/experiments', 201, {
      key,
      json: {
        name: 'grown',
        config: {
          poolId: cat.poolId,
          metadataSetId: cat.metadataSetId,
          evalSetIds: [cat.evalSetId],
          stop: { maxSteps: 10 },
          growth: { parent: { run: first.runId } },
        },
      },
    });
    const growRun = await api.json('POST', '/v1/runs', 201, {
      key,
      json: { experimentId: exp2.id },
    });
    const grow = await workerOf(api, growRun.id);
    expect(grow.spec.growth.parent).toEqual({ checkpoint: a10.id });
    const parentFile = await api.call('GET', grow.w(`/inits/${a10.id}/weights.bin`), {
      key: grow.token,
    });
    expect(parentFile.status).toBe(200); // the worker reads the parent it grows from
    expect(new Uint8Array(await parentFile.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    const notParent = await api.call('GET', grow.w(`/inits/${a5.id}/weights.bin`), {
      key: grow.token,
    });
    expect(notParent.status).toBe(404);
    const step = growthStep(a10.id, 10);
    await grow.events([
      { type: 'growth', message: 'grew: image+2blocks', data: step },
      { type: 'growth', message: 'a growth event without its data' },
    ]);
    await grow.events([{ type: 'growth', message: 'resent', data: step }]);
    const b10 = await grow.checkpoint(10, { parentCheckpoint: a10.id });
    const b20 = await grow.checkpoint(20, { parentCheckpoint: a10.id });
    await grow.evaluate(20, 0.75);

    // The bad growth event is kept as a log; the good one (resent) is one growth step.
    const events = await api.json('GET', `/v1/runs/${growRun.id}/events?type=growth`, 200, { key });
    expect(events.items).toHaveLength(2);
    expect(await db.select().from(growthSteps)).toHaveLength(1);

    // A run started from model.init: its first checkpoint's parent is that checkpoint.
    const fromInit = await workerOf(
      api,
      (
        await api
          .json('POST', '/v1/experiments', 201, {
            key,
            json: {
              name: 'lit',
              config: {
                poolId: cat.poolId,
                metadataSetId: cat.metadataSetId,
                stop: { maxSteps: 10 },
                model: { image: { init: { checkpoint: a5.id }, trainable: 'none' } },
              },
            },
          })
          .then((e) => api.json('POST', '/v1/runs', 201, { key, json: { experimentId: e.id } }))
      ).id,
    );
    const c1 = await fromInit.checkpoint(1);
    const [c1Row] = await db.select().from(checkpoints).where(eq(checkpoints.id, c1.id));
    expect(c1Row!.parentCheckpointId).toBe(a5.id);

    const tree = await api.json('GET', `/v1/experiments/${exp2.id}/lineage`, 200, { key });
    expect(tree.checkpoints.map((c: { id: string }) => c.id)).toEqual([a10.id, b10.id, b20.id]);
    expect(tree.checkpoints[0]).toMatchObject({
      external: true,
      runId: first.runId,
      parentCheckpointId: a5.id,
      bestEval: { top1: 0.7, step: 10 },
      architecture: 'tiny: image 2×32 (2 heads), text 2×32 (2 heads)',
    });
    expect(tree.checkpoints[1]).toMatchObject({
      external: false,
      parentCheckpointId: a10.id,
      bestEval: null,
    });
    expect(tree.checkpoints[2]).toMatchObject({
      parentCheckpointId: b10.id,
      bestEval: { top1: 0.75 },
    });
    expect(tree.growthSteps).toHaveLength(1);
    expect(tree.growthSteps[0]).toMatchObject({
      runId: growRun.id,
      step: 10,
      parentCheckpointId: a10.id,
      childCheckpointId: b10.id,
      parentScore: 2.5,
      score: 'contrastive-loss',
    });
    expect(tree.growthSteps[0].candidates).toEqual([
      expect.objectContaining({ name: 'image+1block', score: 2.4, chosen: false }),
      expect.objectContaining({
        name: 'image+2blocks',
        architecture: 'tiny: image 4×32 (2 heads), text 2×32 (2 heads)',
        gflopsPerSample: 0.04,
        chosen: true,
      }),
    ]);

    // Retention lets b10 go: b20 takes its parent, so the tree stays connected.
    await api.json('DELETE', grow.w(`/blobs/${b10.key}`), 204, { key: grow.token });
    const pruned = await api.json('GET', `/v1/experiments/${exp2.id}/lineage`, 200, { key });
    expect(
      pruned.checkpoints.map((c: { id: string; parentCheckpointId: string }) => [
        c.id,
        c.parentCheckpointId,
      ]),
    ).toEqual([
      [a10.id, a5.id],
      [b20.id, a10.id],
    ]);
    expect(pruned.growthSteps[0].childCheckpointId).toBe(b20.id);

    // Another team: the experiment is a 404, and its checkpoints cannot be named as a parent.
    const other = await bootstrapTeam(api, 'Elsewhere');
    const hidden = await api.call('GET', `/v1/experiments/${exp2.id}/lineage`, {
      key: other.key,
    });
    expect(hidden.status).toBe(404);
    const otherCat = await createCatalog(api, other.key);
    const otherRun = await api.json('POST', '/v1/runs', 201, {
      key: other.key,
      json: { experimentId: otherCat.experimentId },
    });
    const intruder = await workerOf(api, otherRun.id);
    await api.json('PUT', intruder.w('/blobs/checkpoints/00000001/weights.bin'), 204, {
      key: intruder.token,
      body: new Uint8Array([1]),
    });
    const stolen = await api.call('POST', intruder.w('/checkpoints'), {
      key: intruder.token,
      json: {
        step: 1,
        key: 'checkpoints/00000001',
        sizeBytes: 1,
        architecture: {},
        parentCheckpoint: a10.id,
      },
    });
    expect(stolen.status).toBe(422);
    expect((await problemOf(stolen)).errors[0]).toMatchObject({ path: 'parentCheckpoint' });
    await intruder.events([{ type: 'growth', message: 'theirs', data: growthStep(a10.id, 1) }]);
    const [theirStep] = await db
      .select()
      .from(growthSteps)
      .where(eq(growthSteps.runId, otherRun.id));
    expect(theirStep!.parentCheckpointId).toBeNull(); // another team's checkpoint is not linked
    const ownTree = await api.json('GET', `/v1/experiments/${otherCat.experimentId}/lineage`, 200, {
      key: other.key,
    });
    expect(ownTree.checkpoints).toEqual([]);
    expect(JSON.stringify(ownTree)).not.toContain(a10.id);
    expect((await problemOf(hidden)).detail).toMatch(exp2.id);
  });
});

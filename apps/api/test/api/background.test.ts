// The API process's loops: the reaper re-queues a run whose heartbeat stopped (to resume from its
// checkpoint) and fails it for good when its attempts are spent, but waits one stale period after
// the API starts; the dispatch loop fails an attempt the dispatcher cannot start, with its reason.
import { eq, sql } from '@curio/db';
import { apiKeys, checkpoints, runs } from '@curio/db/schema';
import { LocalDispatcher } from '@curio/dispatch';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { createDispatchLoop, beginAttempt } from '../../src/services/dispatch-loop.js';
import { createReaper } from '../../src/services/reaper.js';
import { bootstrapTeam, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';

describe('background loops', () => {
  pgTest(
    'the reaper re-queues a silent run to resume from its checkpoint, then fails it',
    async ({ db }) => {
      const api = await testApi(db, { timing: { staleAfterMs: 1_000 } });
      const { key } = await bootstrapTeam(api, 'Reap');
      const cat = await createCatalog(api, key);
      const run = await api.json('POST', '/v1/runs', 201, {
        key,
        json: { experimentId: cat.experimentId, maxAttempts: 2 },
      });
      const first = (await beginAttempt(api.ctx, run.id))!;
      const w = `/v1/worker/runs/${run.id}`;
      await api.json('POST', `${w}/started`, 204, {
        key: first.token,
        json: { attempt: 1, backend: 'cpu', device: 'cpu' },
      });
      await api.json('PUT', `${w}/blobs/checkpoints/00000004/state.json`, 204, {
        key: first.token,
        body: new Uint8Array([1]),
      });
      const ckpt = await api.json('POST', `${w}/checkpoints`, 200, {
        key: first.token,
        json: { step: 4, key: 'checkpoints/00000004', sizeBytes: 1, architecture: {} },
      });
      const silent = () =>
        db
          .update(runs)
          .set({ heartbeatAt: sql`now() - interval '1 minute'` })
          .where(eq(runs.id, run.id));
      await silent();

      expect(await createReaper(api.ctx, Date.now()).tick()).toEqual([]); // just started: waits
      const reaper = createReaper(api.ctx, Date.now() - 5_000);
      expect(await reaper.tick()).toMatchObject([{ runId: run.id, outcome: 'requeued' }]);
      const [requeued] = await db.select().from(runs).where(eq(runs.id, run.id));
      expect(requeued).toMatchObject({ status: 'queued', resumeCheckpointId: ckpt.id });
      const [stored] = await db.select().from(checkpoints).where(eq(checkpoints.id, ckpt.id));
      expect(stored!.step).toBe(4);

      const second = (await beginAttempt(api.ctx, run.id))!;
      expect(
        (await api.json('GET', `${w}/assignment`, 200, { key: second.token })).resumeFrom,
      ).toBe('checkpoints/00000004');
      await silent();
      expect(await reaper.tick()).toMatchObject([{ runId: run.id, outcome: 'failed' }]);
      const shown = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
      expect(shown).toMatchObject({ status: 'failed', attempt: 2, stopReason: 'error' });
      expect(shown.error).toMatch(/no heartbeat/);
      const tokens = await db.select().from(apiKeys).where(eq(apiKeys.runId, run.id));
      expect(tokens).toHaveLength(2);
      for (const t of tokens) expect(t.revokedAt).not.toBeNull();
    },
  );

  pgTest(
    'a dispatch that cannot start fails the attempt with the reason, within its attempts',
    async ({ db }) => {
      const dispatcher = new LocalDispatcher({
        capacity: 1,
        command: ['/nonexistent/curio-train', 'worker'],
      });
      const api = await testApi(db, { dispatcher });
      const { key } = await bootstrapTeam(api, 'Dispatch');
      const cat = await createCatalog(api, key);
      const run = await api.json('POST', '/v1/runs', 201, {
        key,
        json: { experimentId: cat.experimentId, maxAttempts: 2 },
      });
      const loop = createDispatchLoop(api.ctx);
      expect(await loop.tick()).toEqual([run.id]);
      await loop.settled();
      expect(await api.json('GET', `/v1/runs/${run.id}`, 200, { key })).toMatchObject({
        status: 'queued',
        attempt: 1,
      });
      expect(await loop.tick()).toEqual([run.id]);
      await loop.settled();
      const failed = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
      expect(failed).toMatchObject({ status: 'failed', attempt: 2 });
      expect(failed.error).toMatch(/dispatch failed: cannot start worker.*ENOENT/);
      expect(await loop.tick()).toEqual([]);
      await dispatcher.close();
    },
  );
});

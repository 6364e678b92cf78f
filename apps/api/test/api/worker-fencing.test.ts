// The worker protocol when attempts change: a token of an earlier attempt is fenced off
// (heartbeats answer `superseded`, everything else 409), the next attempt resumes from the last
// checkpoint and adds its device time to the earlier one's; a reported failure is retried.
import { eq, sql } from '@curio/db';
import { runs } from '@curio/db/schema';
import { reapStaleRuns } from '@curio/runs';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { problemOf, testApi } from '../support/api.js';
import { TEST_PRICES as prices, runWithAttempt as setup } from '../support/worker.js';

describe('worker protocol across attempts', () => {
  pgTest(
    'an earlier attempt is fenced: superseded heartbeats, 409 for the rest; resume from the checkpoint',
    async ({ db }) => {
      const api = await testApi(db, { prices });
      const { key, run, token: oldToken, w } = await setup(api);
      await api.json('POST', w('/started'), 204, {
        key: oldToken,
        json: { attempt: 1, backend: 'cpu', device: 'cpu' },
      });
      await api.json('POST', w('/heartbeat'), 200, {
        key: oldToken,
        json: { attempt: 1, step: 5, deviceSeconds: 100 },
      });
      await api.json('PUT', w('/blobs/checkpoints/00000005/state.json'), 204, {
        key: oldToken,
        body: new Uint8Array([1]),
      });
      const ckpt = await api.json('POST', w('/checkpoints'), 200, {
        key: oldToken,
        json: { step: 5, key: 'checkpoints/00000005', sizeBytes: 1, architecture: {} },
      });

      // The worker goes silent: the reaper fails the attempt and re-queues the run.
      await db
        .update(runs)
        .set({ heartbeatAt: sql`now() - interval '10 minutes'` })
        .where(eq(runs.id, run.id));
      const reaped = await reapStaleRuns(db, { staleAfterMs: 60_000 });
      expect(reaped).toEqual([{ runId: run.id, from: 'running', attempt: 1, outcome: 'requeued' }]);
      expect(
        await api.json('POST', w('/heartbeat'), 200, {
          key: oldToken,
          json: { attempt: 1, step: 6, deviceSeconds: 101 },
        }),
      ).toEqual({ stop: true, reason: 'superseded' });

      const next = (await beginAttempt(api.ctx, run.id))!;
      expect(next.attempt).toBe(2);
      const assignment = await api.json('GET', w('/assignment'), 200, { key: next.token });
      expect(assignment).toMatchObject({ attempt: 2, resumeFrom: 'checkpoints/00000005' });

      expect(
        await api.json('POST', w('/heartbeat'), 200, {
          key: oldToken,
          json: { attempt: 1, step: 7, deviceSeconds: 102 },
        }),
      ).toEqual({ stop: true, reason: 'superseded' });
      for (const [path, json] of [
        ['/started', { attempt: 1, backend: 'cpu', device: 'cpu' }],
        ['/metrics', { points: [{ step: 7, name: 'loss', value: 1 }] }],
        [
          '/finished',
          { status: 'succeeded', stopReason: 'max_steps', steps: 10, deviceSeconds: 102 },
        ],
      ] as const) {
        const res = await api.call('POST', w(path), { key: oldToken, json });
        expect(res.status, path).toBe(409);
        expect((await problemOf(res)).detail, path).toMatch(/superseded/);
      }
      expect((await api.call('GET', w('/assignment'), { key: oldToken })).status).toBe(409);

      // The new attempt's time adds to the old one's; its checkpoint's parent is the old checkpoint.
      await api.json('POST', w('/started'), 204, {
        key: next.token,
        json: { attempt: 2, backend: 'cpu', device: 'cpu' },
      });
      await api.json('POST', w('/heartbeat'), 200, {
        key: next.token,
        json: { attempt: 2, step: 8, deviceSeconds: 50 },
      });
      await api.json('PUT', w('/blobs/checkpoints/00000010/state.json'), 204, {
        key: next.token,
        body: new Uint8Array([2]),
      });
      await api.json('POST', w('/checkpoints'), 200, {
        key: next.token,
        json: { step: 10, key: 'checkpoints/00000010', sizeBytes: 1, architecture: {} },
      });
      await api.json('POST', w('/finished'), 204, {
        key: next.token,
        json: { status: 'succeeded', stopReason: 'max_steps', steps: 10, deviceSeconds: 60 },
      });
      const done = await api.json('GET', `/v1/runs/${run.id}`, 200, { key });
      expect(done).toMatchObject({ status: 'succeeded', attempt: 2, deviceSeconds: 160 });
      expect(done.costEstimate).toBeCloseTo(0.16, 10);
      expect(done.checkpoints[1].parentCheckpointId).toBe(ckpt.id);
    },
  );

  pgTest(
    'a worker that reports failure is retried within its attempts, then the run fails',
    async ({ db }) => {
      const api = await testApi(db);
      const { key, run, token, w } = await setup(api, { maxAttempts: 2 });
      await api.json('POST', w('/started'), 204, {
        key: token,
        json: { attempt: 1, backend: 'cpu', device: 'cpu' },
      });
      await api.json('POST', w('/finished'), 204, {
        key: token,
        json: { status: 'failed', error: 'out of memory', deviceSeconds: 3 },
      });
      expect(await api.json('GET', `/v1/runs/${run.id}`, 200, { key })).toMatchObject({
        status: 'queued',
        attempt: 1,
      });
      const second = (await beginAttempt(api.ctx, run.id))!;
      await api.json('POST', w('/started'), 204, {
        key: second.token,
        json: { attempt: 2, backend: 'cpu', device: 'cpu' },
      });
      await api.json('POST', w('/finished'), 204, {
        key: second.token,
        json: { status: 'failed', error: 'out of memory again', deviceSeconds: 3 },
      });
      expect(await api.json('GET', `/v1/runs/${run.id}`, 200, { key })).toMatchObject({
        status: 'failed',
        error: 'out of memory again',
        stopReason: 'error',
        deviceSeconds: 6,
      });
    },
  );
});

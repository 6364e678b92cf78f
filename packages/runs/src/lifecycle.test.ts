// createRun, events, heartbeats, failRun and the reaper.
import { asc, eq } from '@curio/db';
import { checkpoints, runEvents, runs } from '@curio/db/schema';
import { pgTest, seedExperiment, seedTeam, testBackend } from '@curio/testing';
import { describe, expect } from 'vitest';
import { createRun } from './create';
import { isRunLifecycleError } from './errors';
import { appendEvent, appendEvents } from './events';
import { failRun } from './fail';
import { heartbeat } from './heartbeat';
import { reapStaleRuns } from './reaper';
import { forceRun, seedRun } from './test-support';
import { transition } from './transition';

describe(`run lifecycle helpers on ${testBackend()}`, () => {
  pgTest(
    'createRun writes the first event and honours idempotency keys per team',
    async ({ db }) => {
      const team = await seedTeam(db);
      const experiment = await seedExperiment(db, team.id);
      const input = { teamId: team.id, experimentId: experiment.id, idempotencyKey: 'k1' };
      const first = await createRun(db, input);
      const again = await createRun(db, input);
      expect(first.created).toBe(true);
      expect(again).toEqual({ run: first.run, created: false });
      const [event] = await db.select().from(runEvents).where(eq(runEvents.runId, first.run.id));
      expect(event).toMatchObject({ seq: 1, type: 'status', fromStatus: null, toStatus: 'queued' });

      const otherTeam = await seedTeam(db);
      const otherExperiment = await seedExperiment(db, otherTeam.id);
      const other = await createRun(db, {
        ...input,
        teamId: otherTeam.id,
        experimentId: otherExperiment.id,
      });
      expect(other.created).toBe(true);
      const concurrent = await Promise.all(
        [1, 2, 3].map(() => createRun(db, { ...input, idempotencyKey: 'k2' })),
      );
      expect(concurrent.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(concurrent.map((r) => r.run.id)).size).toBe(1);
    },
  );

  pgTest(
    'events interleave with transitions without gaps; status events are refused',
    async ({ db }) => {
      const { run } = await seedRun(db);
      await appendEvent(db, run.id, { type: 'log', message: 'preparing' });
      await transition(db, run.id, 'dispatching');
      const batch = await appendEvents(db, run.id, [
        { type: 'progress', data: { step: 1 } },
        { type: 'log', message: 'hello' },
      ]);
      expect(batch.map((e) => e.seq)).toEqual([4, 5]);
      await Promise.all([
        appendEvent(db, run.id, { type: 'log', message: 'a' }),
        transition(db, run.id, 'running'),
        appendEvent(db, run.id, { type: 'log', message: 'b' }),
      ]);
      const seqs = (
        await db
          .select()
          .from(runEvents)
          .where(eq(runEvents.runId, run.id))
          .orderBy(asc(runEvents.seq))
      ).map((e) => e.seq);
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await expect(appendEvent(db, run.id, { type: 'status' as 'log' })).rejects.toThrow(
        /only by transition/,
      );
      await expect(appendEvent(db, 'run_missing', { type: 'log' })).rejects.toSatisfy((e) =>
        isRunLifecycleError(e, 'not_found'),
      );
    },
  );

  pgTest('heartbeats record usage and tell a worker when to stop', async ({ db }) => {
    const { run } = await seedRun(db);
    expect(await heartbeat(db, run.id, { attempt: 0 })).toMatchObject({
      stop: true,
      reason: 'superseded',
    });
    await transition(db, run.id, 'dispatching');
    await transition(db, run.id, 'running');
    await forceRun(db, run.id, { heartbeatAgoMs: 60_000 });
    expect(
      await heartbeat(db, run.id, { attempt: 1, deviceSeconds: 12, costEstimate: 0.5 }),
    ).toEqual({
      status: 'running',
      attempt: 1,
      stop: false,
    });
    await heartbeat(db, run.id, { attempt: 1, deviceSeconds: 5 }); // late, lower: ignored
    const [stored] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(stored).toMatchObject({ deviceSeconds: 12, costEstimate: 0.5 });
    expect(Date.now() - stored!.heartbeatAt!.getTime()).toBeLessThan(30_000);

    expect(await heartbeat(db, run.id, { attempt: 0 })).toMatchObject({
      stop: true,
      reason: 'superseded',
    });
    await transition(db, run.id, 'canceled');
    expect(await heartbeat(db, run.id, { attempt: 1 })).toMatchObject({
      stop: true,
      reason: 'canceled',
    });
    await expect(heartbeat(db, 'run_missing')).rejects.toSatisfy((e) =>
      isRunLifecycleError(e, 'not_found'),
    );
  });

  pgTest('failRun re-queues atomically within the retry budget', async ({ db }) => {
    const { run } = await seedRun(db, { maxAttempts: 2 });
    await transition(db, run.id, 'dispatching');
    const retried = await failRun(db, run.id, { error: 'oom', retry: true });
    expect(retried).toMatchObject({
      from: 'dispatching',
      requeued: true,
      run: { status: 'queued', attempt: 1 },
    });
    await transition(db, run.id, 'dispatching');
    const final = await failRun(db, run.id, { error: 'oom again', retry: true });
    expect(final).toMatchObject({
      requeued: false,
      run: { status: 'failed', attempt: 2, error: 'oom again' },
    });
  });

  pgTest(
    'the reaper fails silent runs and re-queues them to resume from a checkpoint',
    async ({ db }) => {
      const silent = await seedRun(db);
      const exhausted = await seedRun(db, { maxAttempts: 1 });
      const healthy = await seedRun(db);
      for (const { run } of [silent, exhausted, healthy]) {
        await transition(db, run.id, 'dispatching');
        await transition(db, run.id, 'running');
      }
      const [ckpt] = await db
        .insert(checkpoints)
        .values({
          teamId: silent.team.id,
          runId: silent.run.id,
          step: 50,
          blobUri: 'file:///c/50',
          architecture: {},
          sizeBytes: 1,
        })
        .returning();
      await forceRun(db, silent.run.id, { heartbeatAgoMs: 120_000 });
      await forceRun(db, exhausted.run.id, { heartbeatAgoMs: 120_000 });

      const reaped = await reapStaleRuns(db, { staleAfterMs: 60_000 });
      expect(reaped.sort((a, b) => a.outcome.localeCompare(b.outcome))).toEqual([
        { runId: exhausted.run.id, from: 'running', attempt: 1, outcome: 'failed' },
        { runId: silent.run.id, from: 'running', attempt: 1, outcome: 'requeued' },
      ]);
      const byId = new Map((await db.select().from(runs)).map((r) => [r.id, r]));
      expect(byId.get(silent.run.id)).toMatchObject({
        status: 'queued',
        resumeCheckpointId: ckpt!.id,
      });
      expect(byId.get(exhausted.run.id)).toMatchObject({ status: 'failed', stopReason: 'error' });
      expect(byId.get(exhausted.run.id)?.error).toMatch(/no heartbeat for 60s/);
      expect(byId.get(healthy.run.id)?.status).toBe('running');
      expect(await reapStaleRuns(db, { staleAfterMs: 60_000 })).toEqual([]);
    },
  );
});

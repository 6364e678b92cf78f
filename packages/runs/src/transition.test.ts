import { asc, eq } from '@curio/db';
import { checkpoints, runEvents, runs } from '@curio/db/schema';
import { pgTest, testBackend } from '@curio/testing';
import { describe, expect } from 'vitest';
import { isRunLifecycleError } from './errors';
import { RUN_STATUSES, type RunStatus } from './statuses';
import { forceRun, seedRun } from './test-support';
import { transition } from './transition';
import { isAllowedTransition } from './transitions';

const events = (db: Parameters<typeof transition>[0], runId: string) =>
  db.select().from(runEvents).where(eq(runEvents.runId, runId)).orderBy(asc(runEvents.seq));

describe(`transition() on ${testBackend()}`, () => {
  pgTest(
    'accepts every legal and refuses every illegal from → to, with or without its event',
    async ({ db }) => {
      const { team, experiment } = await seedRun(db);
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const from of RUN_STATUSES) {
        for (const to of RUN_STATUSES) {
          expected.push(`${from} → ${to}: ${isAllowedTransition(from, to) ? 'ok' : 'refused'}`);
          const [run] = await db
            .insert(runs)
            .values({
              teamId: team.id,
              experimentId: experiment.id,
              status: from,
              attempt: 1,
              eventSeq: 0,
            })
            .returning();
          try {
            const result = await transition(db, run!.id, to, { message: 'test', error: 'x' });
            expect(result.run.status).toBe(to);
            expect(result.event).toMatchObject({
              seq: 1,
              type: 'status',
              fromStatus: from,
              toStatus: to,
            });
            const stored = await db.select().from(runs).where(eq(runs.id, run!.id));
            expect(stored[0]?.status).toBe(to);
            expect(await events(db, run!.id)).toHaveLength(1);
            outcomes.push(`${from} → ${to}: ok`);
          } catch (error) {
            if (!isRunLifecycleError(error, 'illegal_transition')) throw error;
            expect(error.message).toContain(`${from} → ${to}`);
            expect([error.from, error.to]).toEqual([from, to]);
            const stored = await db.select().from(runs).where(eq(runs.id, run!.id));
            expect(stored[0]?.status).toBe(from);
            expect(await events(db, run!.id)).toHaveLength(0);
            outcomes.push(`${from} → ${to}: refused`);
          }
        }
      }
      expect(outcomes).toEqual(expected);
      expect(outcomes.filter((o) => o.endsWith('ok'))).toHaveLength(9);
    },
  );

  pgTest('walks the happy path with its side effects and numbered events', async ({ db }) => {
    const { run } = await seedRun(db);
    expect(run).toMatchObject({ status: 'queued', attempt: 0, eventSeq: 1 });

    const dispatched = await transition(db, run.id, 'dispatching', {
      backend: 'local',
      device: 'cpu',
    });
    expect(dispatched.run).toMatchObject({ attempt: 1, backend: 'local', device: 'cpu' });
    expect(dispatched.run.heartbeatAt).toBeInstanceOf(Date);

    const running = await transition(db, run.id, 'running');
    expect(running.run.startedAt).toBeInstanceOf(Date);
    const done = await transition(db, run.id, 'succeeded', {
      stopReason: 'target_accuracy',
      data: { top1: 0.5 },
    });
    expect(done.run).toMatchObject({
      status: 'succeeded',
      stopReason: 'target_accuracy',
      error: null,
    });
    expect(done.run.finishedAt).toBeInstanceOf(Date);
    expect(done.event.data).toMatchObject({ top1: 0.5, attempt: 1, stopReason: 'target_accuracy' });

    const log = await events(db, run.id);
    expect(log.map((e) => [e.seq, e.fromStatus, e.toStatus])).toEqual([
      [1, null, 'queued'],
      [2, 'queued', 'dispatching'],
      [3, 'dispatching', 'running'],
      [4, 'running', 'succeeded'],
    ]);
  });

  pgTest(
    're-queues a failed run only with attempts left, resuming from its latest checkpoint',
    async ({ db }) => {
      const { team, run } = await seedRun(db, { maxAttempts: 2 });
      await transition(db, run.id, 'dispatching');
      await transition(db, run.id, 'running');
      for (const step of [100, 200]) {
        await db.insert(checkpoints).values({
          teamId: team.id,
          runId: run.id,
          step,
          blobUri: `file:///ckpt/${step}`,
          architecture: { preset: 'tiny' },
          sizeBytes: 1024,
        });
      }
      await transition(db, run.id, 'failed', { error: 'worker lost' });
      const retried = await transition(db, run.id, 'queued');
      const [latest] = await db.select().from(checkpoints).where(eq(checkpoints.step, 200));
      expect(retried.run).toMatchObject({ status: 'queued', error: null, finishedAt: null });
      expect(retried.run.resumeCheckpointId).toBe(latest!.id);
      expect(retried.event.data).toMatchObject({ retry: true, resumeCheckpointId: latest!.id });

      await transition(db, run.id, 'dispatching');
      expect((await transition(db, run.id, 'failed', { error: 'again' })).run.attempt).toBe(2);
      await expect(transition(db, run.id, 'queued')).rejects.toThrow(/attempt 2 of 2/);
    },
  );

  pgTest('compare-and-set, team scoping and unknown runs', async ({ db }) => {
    const { run } = await seedRun(db);
    const other = await seedRun(db);
    await expect(transition(db, run.id, 'canceled', { expectedFrom: 'running' })).rejects.toSatisfy(
      (e) => isRunLifecycleError(e, 'conflict') && /is queued, not running/.test(e.message),
    );
    await expect(transition(db, run.id, 'canceled', { teamId: other.team.id })).rejects.toSatisfy(
      (e) => isRunLifecycleError(e, 'not_found'),
    );
    await expect(transition(db, 'run_missing', 'canceled')).rejects.toSatisfy((e) =>
      isRunLifecycleError(e, 'not_found'),
    );
    await expect(transition(db, run.id, 'canceled', { attempt: 2 })).rejects.toThrow(
      /is on attempt 0, not 2/,
    );
    await expect(
      transition(db, run.id, 'canceled', { precondition: () => 'not today' }),
    ).rejects.toThrow(/not today/);
    expect((await transition(db, run.id, 'canceled', { teamId: run.teamId })).run.stopReason).toBe(
      'canceled',
    );
  });

  pgTest('lets exactly one of two racing transitions win', async ({ db }) => {
    // [to, to, expectedFrom]: without expectedFrom the loser finds its move illegal from the
    // winner's status; with it (compare-and-set) the loser gets a conflict.
    const races: [RunStatus, RunStatus, RunStatus | undefined][] = [
      ['dispatching', 'dispatching', undefined],
      ['canceled', 'canceled', undefined],
      ['dispatching', 'canceled', 'queued'],
      ['canceled', 'dispatching', 'queued'],
    ];
    for (const [a, b, expectedFrom] of races) {
      const { run } = await seedRun(db);
      const options = expectedFrom ? { expectedFrom } : {};
      const results = await Promise.allSettled([
        transition(db, run.id, a, options),
        transition(db, run.id, b, options),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won, `${a} vs ${b}`).toHaveLength(1);
      const code = expectedFrom ? 'conflict' : 'illegal_transition';
      expect(isRunLifecycleError(lost[0]!.reason, code), String(lost[0]!.reason)).toBe(true);
      const log = await events(db, run.id);
      expect(log.map((e) => e.seq)).toEqual([1, 2]);
      const [stored] = await db.select().from(runs).where(eq(runs.id, run.id));
      expect(stored!.status).toBe(log[1]!.toStatus);
    }
    // Many workers racing for one queued run: one dispatches it.
    const { run } = await seedRun(db);
    const many = await Promise.allSettled(
      Array.from({ length: 6 }, () => transition(db, run.id, 'dispatching')),
    );
    expect(many.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [stored] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(stored!.attempt).toBe(1);
  });

  pgTest('works inside a caller’s transaction and rolls back with it', async ({ db }) => {
    const { run } = await seedRun(db);
    await expect(
      db.transaction(async (tx) => {
        await transition(tx, run.id, 'dispatching');
        throw new Error('dispatcher crashed');
      }),
    ).rejects.toThrow('dispatcher crashed');
    const [stored] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(stored).toMatchObject({ status: 'queued', attempt: 0, eventSeq: 1 });
    expect(await events(db, run.id)).toHaveLength(1);
    await forceRun(db, run.id, { status: 'running', attempt: 1 });
    expect((await transition(db, run.id, 'succeeded')).event.seq).toBe(2);
  });
});

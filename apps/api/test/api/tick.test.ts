// The background jobs as one function (`tick`): two ticks at the same moment — two API processes
// on PostgreSQL (each its own connection pool), two overlapping calls on PGlite — fire a due
// schedule once, reap a silent run once and dispatch every queued run once between them.
import { createDb, eq, sql } from '@curio/db';
import { runEvents, runs, scheduleFirings } from '@curio/db/schema';
import { pgTest, testBackend } from '@curio/testing';
import { describe, expect } from 'vitest';
import { resolveDeps } from '../../src/app.js';
import { beginAttempt, createDispatchLoop } from '../../src/services/dispatch-loop.js';
import { createReaper } from '../../src/services/reaper.js';
import { tick } from '../../src/services/tick.js';
import { bootstrapTeam, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { RecordingDispatcher } from '../support/recording-dispatcher.js';

describe(`the cron tick on ${testBackend()}`, () => {
  pgTest('two ticks at once do each job exactly once', async ({ db, testDb }) => {
    let now = new Date('2026-03-01T10:00:00Z');
    const api = await testApi(db, { now: () => now, timing: { staleAfterMs: 1_000 } });
    const { key } = await bootstrapTeam(api, 'Tick');
    const cat = await createCatalog(api, key);
    const schedule = await api.json('POST', '/v1/schedules', 201, {
      key,
      json: { experimentId: cat.experimentId, everyMinutes: 30 },
    });
    const create = () =>
      api.json('POST', '/v1/runs', 201, {
        key,
        json: { experimentId: cat.experimentId, maxAttempts: 2 },
      });
    const silent = await create();
    await beginAttempt(api.ctx, silent.id);
    await db
      .update(runs)
      .set({ heartbeatAt: sql`now() - interval '1 minute'` })
      .where(eq(runs.id, silent.id));
    const queued = [await create(), await create()];
    now = new Date('2026-03-01T10:31:00Z');

    // Another API process: its own pool on PostgreSQL; PGlite is one process's database.
    const other = testBackend() === 'postgres' ? await createDb(testDb.options) : db;
    const apiProcess = (database: typeof db) => {
      const dispatcher = new RecordingDispatcher(10);
      const ctx = resolveDeps({ ...api.deps, db: database, dispatcher });
      const jobs = { dispatch: createDispatchLoop(ctx), reaper: createReaper(ctx, 0) };
      return { dispatcher, run: () => tick(ctx, jobs) };
    };
    const a = apiProcess(db);
    const b = apiProcess(other);
    try {
      const reports = await Promise.all([a.run(), b.run()]);

      const fired = reports.flatMap((r) => r.fired);
      expect(fired).toHaveLength(1);
      const firings = await db
        .select()
        .from(scheduleFirings)
        .where(eq(scheduleFirings.scheduleId, schedule.id));
      expect(firings).toMatchObject([{ outcome: 'started', runId: fired[0] }]);

      expect(reports.flatMap((r) => r.reaped)).toMatchObject([
        { runId: silent.id, outcome: 'requeued' },
      ]);
      const failures = await db
        .select()
        .from(runEvents)
        .where(sql`${runEvents.runId} = ${silent.id} and ${runEvents.toStatus} = 'failed'`);
      expect(failures).toHaveLength(1);

      const requests = [...a.dispatcher.requests, ...b.dispatcher.requests];
      const expected = [silent.id, ...queued.map((r) => r.id), fired[0]].sort();
      expect(requests.map((r) => r.runId).sort()).toEqual(expected);
      expect(reports.flatMap((r) => r.dispatched).sort()).toEqual(expected);
      const byId = new Map((await db.select().from(runs)).map((r) => [r.id, r]));
      for (const id of expected) expect(byId.get(id)).toMatchObject({ status: 'dispatching' });
      expect(byId.get(silent.id)?.attempt).toBe(2);

      // Nothing is left to do: both ticks again find no work.
      const again = await Promise.all([a.run(), b.run()]);
      expect(again).toEqual([
        { fired: [], reaped: [], dispatched: [] },
        { fired: [], reaped: [], dispatched: [] },
      ]);
    } finally {
      if (other !== db) await other.close();
      await api.cleanup();
    }
  });
});

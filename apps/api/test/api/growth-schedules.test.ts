// Growth schedules: when one fires and the experiment's pool has shards added since its last
// growth run, it starts one growth run from the best checkpoint on the new shards plus replayed
// old ones; with nothing new it records "skipped: no new data" and starts nothing. A schedule
// missed many times fires once. Firings are listed through the API, to the owning team only.
import { count, eq } from '@curio/db';
import { runs, scheduleFirings } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { fireDueSchedules } from '../../src/services/scheduler.js';
import { bootstrapTeam, problemOf, testApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { appendShards, workerOf } from '../support/growth.js';

describe('growth schedules', () => {
  pgTest('skip without new data, start one growth run with it, catch up once', async ({ db }) => {
    let now = new Date('2026-03-01T10:00:00Z');
    const api = await testApi(db, { now: () => now });
    const { key } = await bootstrapTeam(api, 'Grow');
    const cat = await createCatalog(api, key, { growth: { replay: 0.5, proxy: { steps: 3 } } });
    const schedule = await api.json('POST', '/v1/schedules', 201, {
      key,
      json: { experimentId: cat.experimentId, kind: 'growth', cron: '@hourly' },
    });
    expect(schedule).toMatchObject({ kind: 'growth', timezone: 'UTC' });
    expect(schedule.nextRunAt).toBe('2026-03-01T11:00:00.000Z');
    const firings = async () =>
      (await api.json('GET', `/v1/schedules/${schedule.id}/firings`, 200, { key })).items;
    const fireAt = async (iso: string) => {
      now = new Date(iso);
      return fireDueSchedules(api.ctx);
    };

    // No checkpoint yet: nothing to grow.
    expect(await fireAt('2026-03-01T11:00:00Z')).toEqual([]);
    expect((await firings())[0]).toMatchObject({
      outcome: 'skipped',
      runId: null,
      message: 'skipped: no checkpoint to grow from',
      dueAt: '2026-03-01T11:00:00.000Z',
    });

    // A first run: two checkpoints; the earlier one evaluates better and is the one grown from.
    const first = await api.json('POST', '/v1/runs', 201, {
      key,
      json: { experimentId: cat.experimentId },
    });
    const worker = await workerOf(api, first.id);
    const early = await worker.checkpoint(5);
    await worker.checkpoint(10);
    await worker.evaluate(5, 0.8);
    await worker.evaluate(10, 0.6);
    await worker.finish(10);

    expect(await fireAt('2026-03-01T12:00:00Z')).toEqual([]);
    expect((await firings())[0]).toMatchObject({
      outcome: 'skipped',
      message: 'skipped: no new data',
    });

    const oldShards = await appendShards(api, key, cat, 'old', 3); // before any growth run: new
    const started = await fireAt('2026-03-01T13:00:00Z');
    expect(started).toHaveLength(1);
    const [grown] = await db.select().from(runs).where(eq(runs.id, started[0]!));
    expect(grown!.spec!.growth).toMatchObject({
      parent: { checkpoint: early.id },
      newSamples: 15,
      replay: 0.5,
      proxy: { steps: 3 },
    });
    // The three appended shards, then replay: 15 new pairs at 0.5 want ≥ 15 old; 5 are there.
    expect(grown!.spec!.pool.sources[0]!.shards).toHaveLength(4);
    expect(grown!.spec!.pool.sources[0]!.shards.slice(0, 3).sort()).toEqual(oldShards.sort());
    expect((await firings())[0]).toMatchObject({ outcome: 'started', runId: grown!.id });
    expect((await api.json('GET', `/v1/schedules/${schedule.id}`, 200, { key })).lastRunId).toBe(
      grown!.id,
    );

    // Nothing added since that growth run.
    expect(await fireAt('2026-03-01T14:00:00Z')).toEqual([]);
    expect((await firings())[0]).toMatchObject({ message: 'skipped: no new data' });

    // Missed for a day with new data waiting: one catch-up run, then the next hour.
    const fresh = await appendShards(api, key, cat, 'fresh', 1);
    const caughtUp = await fireAt('2026-03-02T14:30:00Z');
    expect(caughtUp).toHaveLength(1);
    expect(await fireDueSchedules(api.ctx)).toEqual([]);
    const [second] = await db.select().from(runs).where(eq(runs.id, caughtUp[0]!));
    const shards = second!.spec!.pool.sources[0]!.shards;
    expect(shards[0]).toBe(fresh[0]);
    expect(shards).toHaveLength(2); // 5 new pairs at 0.5 replay: one old 5-pair shard
    expect(second!.spec!.growth!.newSamples).toBe(5);
    const shown = await api.json('GET', `/v1/schedules/${schedule.id}`, 200, { key });
    expect(shown.nextRunAt).toBe('2026-03-02T15:00:00.000Z');
    const all = await firings();
    expect(all.map((f: { outcome: string }) => f.outcome)).toEqual([
      'started',
      'skipped',
      'started',
      'skipped',
      'skipped',
    ]);
    expect(all[0].dueAt).toBe('2026-03-01T15:00:00.000Z'); // the missed time it caught up for
    expect(await db.select({ n: count() }).from(scheduleFirings)).toEqual([{ n: 5 }]);

    // Another team sees neither the schedule nor its firings.
    const other = await bootstrapTeam(api, 'Other');
    const hidden = await api.call('GET', `/v1/schedules/${schedule.id}/firings`, {
      key: other.key,
    });
    expect(hidden.status).toBe(404);
    expect((await problemOf(hidden)).detail).toMatch(schedule.id);
  });

  pgTest(
    'refused when its runs could not grow; a run that cannot start is a failed firing',
    async ({ db }) => {
      let now = new Date('2026-03-01T10:00:00Z');
      const api = await testApi(db, { now: () => now, prices: { cpu: 1, special: 2 } });
      const { key } = await bootstrapTeam(api, 'Grow refused');
      const cat = await createCatalog(api, key);
      const first = await workerOf(
        api,
        (await api.json('POST', '/v1/runs', 201, { key, json: { experimentId: cat.experimentId } }))
          .id,
      );
      const ckpt = await first.checkpoint(5);
      const lit = await api.json('POST', '/v1/experiments', 201, {
        key,
        json: {
          name: 'lit',
          config: {
            poolId: cat.poolId,
            metadataSetId: cat.metadataSetId,
            stop: { maxSteps: 10 },
            model: { image: { init: { checkpoint: ckpt.id } } },
          },
        },
      });
      const refused = await api.call('POST', '/v1/schedules', {
        key,
        json: { experimentId: lit.id, kind: 'growth', cron: '@daily' },
      });
      expect(refused.status).toBe(422);
      expect((await problemOf(refused)).errors[0]).toMatchObject({ path: 'experimentId' });
      const both = await api.call('POST', '/v1/experiments', {
        key,
        json: {
          name: 'both',
          config: { ...lit.config, growth: { replay: 0.2 } },
        },
      });
      expect(both.status).toBe(400);
      expect((await problemOf(both)).errors[0]).toMatchObject({ path: 'config.growth' });

      // A device the server's price table no longer has: the firing fails, naming it; the
      // schedule keeps its timetable.
      const schedule = await api.json('POST', '/v1/schedules', 201, {
        key,
        json: { experimentId: cat.experimentId, everyMinutes: 60, run: { device: 'special' } },
      });
      now = new Date('2026-03-01T11:00:00Z');
      expect(await fireDueSchedules({ ...api.ctx, prices: { cpu: 1 } })).toEqual([]);
      const firings = await api.json('GET', `/v1/schedules/${schedule.id}/firings`, 200, { key });
      expect(firings.items).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          runId: null,
          message: expect.stringMatching(/^failed: .*special/),
        }),
      ]);
      const shown = await api.json('GET', `/v1/schedules/${schedule.id}`, 200, { key });
      expect(shown.nextRunAt).toBe('2026-03-01T12:00:00.000Z');
    },
  );
});

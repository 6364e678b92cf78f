// Schedules start runs when due by the app's clock: once per due time (even when ticked twice),
// never while disabled; they are listed, enabled, disabled and deleted through the API.
import { count, eq } from '@curio/db';
import { runs } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { fireDueSchedules } from '../../src/services/scheduler.js';
import { bootstrapTeam, testApi, problemOf } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';

describe('schedules', () => {
  pgTest('fire when due, once, with their run options; disabled ones do not', async ({ db }) => {
    let now = new Date('2026-03-01T10:00:00Z');
    const api = await testApi(db, { now: () => now });
    const { key } = await bootstrapTeam(api, 'Sched');
    const cat = await createCatalog(api, key);
    const every = await api.json('POST', '/v1/schedules', 201, {
      key,
      json: {
        experimentId: cat.experimentId,
        everyMinutes: 30,
        run: { budget: { maxCost: 1 }, maxAttempts: 1 },
      },
    });
    expect(every).toMatchObject({
      everyMinutes: 30,
      at: null,
      enabled: true,
      nextRunAt: '2026-03-01T10:30:00.000Z',
    });
    const daily = await api.json('POST', '/v1/schedules', 201, {
      key,
      json: { experimentId: cat.experimentId, at: ['11:00'], enabled: false },
    });
    expect(daily).toMatchObject({
      at: ['11:00'],
      cron: '0 11 * * *',
      nextRunAt: '2026-03-01T11:00:00.000Z',
    });

    expect(await fireDueSchedules(api.ctx)).toEqual([]);
    now = new Date('2026-03-01T11:05:00Z');
    const started = await fireDueSchedules(api.ctx);
    expect(started).toHaveLength(1);
    expect(await fireDueSchedules(api.ctx)).toEqual([]);
    const [run] = await db.select().from(runs).where(eq(runs.id, started[0]!));
    expect(run).toMatchObject({
      budgetMaxCost: 1,
      maxAttempts: 1,
      status: 'queued',
      idempotencyKey: `schedule:${every.id}:2026-03-01T10:30:00.000Z`,
    });
    const shown = await api.json('GET', `/v1/schedules/${every.id}`, 200, { key });
    expect(shown).toMatchObject({ lastRunId: run!.id, nextRunAt: '2026-03-01T11:30:00.000Z' });

    // Enabling a schedule whose time passed while disabled moves it to its next time.
    const enabled = await api.json('PATCH', `/v1/schedules/${daily.id}`, 200, {
      key,
      json: { enabled: true },
    });
    expect(enabled.nextRunAt).toBe('2026-03-02T11:00:00.000Z');
    await api.json('PATCH', `/v1/schedules/${every.id}`, 200, { key, json: { enabled: false } });
    now = new Date('2026-03-01T12:00:00Z');
    expect(await fireDueSchedules(api.ctx)).toEqual([]);

    const listed = await api.json('GET', '/v1/schedules', 200, { key });
    expect(listed.items).toHaveLength(2);
    await api.json('DELETE', `/v1/schedules/${every.id}`, 204, { key });
    expect((await api.call('GET', `/v1/schedules/${every.id}`, { key })).status).toBe(404);
    expect(await db.select({ n: count() }).from(runs)).toEqual([{ n: 1 }]); // its run stays
  });

  pgTest('cron names, ranges, steps and macros, in a time zone', async ({ db }) => {
    const api = await testApi(db, { now: () => new Date('2026-03-01T10:00:00Z') }); // a Sunday
    const { key } = await bootstrapTeam(api, 'Sched cron');
    const cat = await createCatalog(api, key);
    const next = async (cron: string, timezone?: string) =>
      (
        await api.json('POST', '/v1/schedules', 201, {
          key,
          json: { experimentId: cat.experimentId, cron, ...(timezone && { timezone }) },
        })
      ).nextRunAt;
    expect(await next('0 9 * * MON-FRI')).toBe('2026-03-02T09:00:00.000Z');
    expect(await next('@daily')).toBe('2026-03-02T00:00:00.000Z');
    expect(await next('0 0 1 JAN *')).toBe('2027-01-01T00:00:00.000Z');
    expect(await next('15-45/15 */2 * * *')).toBe('2026-03-01T10:15:00.000Z');
    expect(await next('0 9 * * MON-FRI', 'America/New_York')).toBe('2026-03-02T14:00:00.000Z');
    const daily = await api.json('POST', '/v1/schedules', 201, {
      key,
      json: { experimentId: cat.experimentId, at: ['07:30'], timezone: 'Asia/Tokyo' },
    });
    expect(daily).toMatchObject({
      at: ['07:30'],
      timezone: 'Asia/Tokyo',
      nextRunAt: '2026-03-01T22:30:00.000Z',
    });
  });

  pgTest('bad triggers are refused', async ({ db }) => {
    const api = await testApi(db);
    const { key } = await bootstrapTeam(api, 'Sched bad');
    const cat = await createCatalog(api, key);
    const both = await api.call('POST', '/v1/schedules', {
      key,
      json: { experimentId: cat.experimentId, everyMinutes: 5, cron: '* * * * *' },
    });
    expect(both.status).toBe(400);
    expect((await problemOf(both)).detail).toMatch(/exactly one of everyMinutes, at and cron/);
    const cron = await api.call('POST', '/v1/schedules', {
      key,
      json: { experimentId: cat.experimentId, cron: '0 25 * * *' },
    });
    expect(cron.status).toBe(400);
    expect((await problemOf(cron)).errors[0]).toMatchObject({
      path: 'cron',
      message: expect.stringMatching(/hour/),
    });
    const zone = await api.call('POST', '/v1/schedules', {
      key,
      json: { experimentId: cat.experimentId, cron: '@daily', timezone: 'Mars/Olympus' },
    });
    expect(zone.status).toBe(400);
    expect((await problemOf(zone)).errors[0]).toMatchObject({
      path: 'timezone',
      message: expect.stringMatching(/"Mars\/Olympus" is not an IANA time zone/),
    });
    const kind = await api.call('POST', '/v1/schedules', {
      key,
      json: { experimentId: cat.experimentId, cron: '@daily', kind: 'sometimes' },
    });
    expect(kind.status).toBe(400);
    expect((await problemOf(kind)).errors[0]?.path).toBe('kind');
    const at = await api.call('POST', '/v1/schedules', {
      key,
      json: { experimentId: cat.experimentId, at: ['9am'] },
    });
    expect(at.status).toBe(400);
    expect((await problemOf(at)).errors[0]?.path).toBe('at.0');
  });
});

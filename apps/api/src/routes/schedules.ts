// Schedules: start a run (or, kind `growth`, a growth run when there is new data) of an experiment
// every N minutes, at daily times, or on a cron, in a time zone. The scheduler
// (services/scheduler.ts) fires due schedules in the API process; each firing is listed.
import {
  IdParam,
  PageQuery,
  Schedule,
  ScheduleCreate,
  ScheduleFiring,
  ScheduleUpdate,
  pageOf,
} from '@curio/contracts';
import { and, desc, eq, lt, type Db } from '@curio/db';
import {
  experiments,
  scheduleFirings,
  schedules,
  type Schedule as ScheduleRow,
} from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, noBody, problems } from '../http/openapi.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { badRequest, notFound, unprocessable } from '../http/problem.js';
import { presentFiring, presentSchedule } from '../presenters/schedules.js';
import { checkDevice } from '../prices.js';
import { resolveRunSpec } from '../services/resolve-spec.js';
import { atTimesToCron, checkTimeZone, nextCronTime } from '../services/schedule-times.js';
import { nextFireTime } from '../services/scheduler.js';

const tags = ['schedules'];

const createSchedule = createRoute({
  method: 'post',
  path: '/schedules',
  tags,
  summary:
    'Schedule runs (kind run) or growth runs (kind growth) of an experiment: everyMinutes, at daily times, or cron',
  request: { body: jsonBody(ScheduleCreate) },
  responses: {
    201: jsonResponse(Schedule, 'The schedule'),
    ...problems(400, 401, 403, 413, 415, 422),
  },
});

const listSchedules = createRoute({
  method: 'get',
  path: '/schedules',
  tags,
  summary: 'List schedules',
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(Schedule), 'A page of schedules, newest first'),
    ...problems(400, 401, 403),
  },
});

const getSchedule = createRoute({
  method: 'get',
  path: '/schedules/{id}',
  tags,
  summary: 'Show a schedule',
  request: { params: IdParam },
  responses: { 200: jsonResponse(Schedule, 'The schedule'), ...problems(401, 403, 404) },
});

const updateSchedule = createRoute({
  method: 'patch',
  path: '/schedules/{id}',
  tags,
  summary: 'Enable or disable a schedule',
  request: { params: IdParam, body: jsonBody(ScheduleUpdate) },
  responses: {
    200: jsonResponse(Schedule, 'The schedule'),
    ...problems(400, 401, 403, 404, 413, 415),
  },
});

const listFirings = createRoute({
  method: 'get',
  path: '/schedules/{id}/firings',
  tags,
  summary: 'Each time the schedule fired: the run it started, or why it started none',
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(ScheduleFiring), 'A page of firings, newest first'),
    ...problems(400, 401, 403, 404),
  },
});

const deleteSchedule = createRoute({
  method: 'delete',
  path: '/schedules/{id}',
  tags,
  summary: 'Delete a schedule (its runs stay)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
});

export function scheduleRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createSchedule, async (c) => {
      const { teamId } = teamCaller(c);
      const body = c.req.valid('json');
      checkDevice(ctx.prices, body.run.device, 'run.device');
      const [experiment] = await db
        .select()
        .from(experiments)
        .where(and(eq(experiments.teamId, teamId), eq(experiments.id, body.experimentId)));
      if (!experiment)
        throw unprocessable(
          'unknown-reference',
          `nothing was stored: experiment ${body.experimentId} not found`,
          [{ path: 'experimentId', message: `experiment ${body.experimentId} not found` }],
        );
      await resolveRunSpec(db, teamId, experiment.config, body.run); // its runs must be startable
      const { image, text } = experiment.config.model;
      if (body.kind === 'growth' && (image.init !== undefined || text.init !== undefined))
        throw unprocessable(
          'invalid-run-spec',
          `nothing was stored: experiment ${experiment.id} starts its towers from model.*.init; a growth run starts from the experiment's best checkpoint instead`,
          [
            {
              path: 'experimentId',
              message: 'its model.image.init / model.text.init must be absent',
            },
          ],
        );
      const now = ctx.now();
      const trigger = triggerOf(body, now);
      const [row] = await db
        .insert(schedules)
        .values({
          teamId,
          experimentId: experiment.id,
          kind: body.kind,
          enabled: body.enabled,
          runOptions: body.run,
          ...trigger,
        })
        .returning();
      return c.json(presentSchedule(row!), 201);
    })
    .openapi(listSchedules, async (c) => {
      const { teamId } = teamCaller(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(schedules)
        .where(
          and(
            eq(schedules.teamId, teamId),
            after === undefined ? undefined : lt(schedules.id, after),
          ),
        )
        .orderBy(desc(schedules.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (s) => s.id, presentSchedule),
        200,
      );
    })
    .openapi(getSchedule, async (c) => {
      const { teamId } = teamCaller(c);
      return c.json(presentSchedule(await findSchedule(db, teamId, c.req.valid('param').id)), 200);
    })
    .openapi(updateSchedule, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const { enabled } = c.req.valid('json');
      const current = await findSchedule(db, teamId, id);
      const now = ctx.now();
      const nextRunAt =
        enabled && !current.enabled && current.nextRunAt <= now
          ? nextFireTime(current, now)
          : current.nextRunAt;
      const [row] = await db
        .update(schedules)
        .set({ enabled, nextRunAt })
        .where(and(eq(schedules.teamId, teamId), eq(schedules.id, id)))
        .returning();
      return c.json(presentSchedule(row!), 200);
    })
    .openapi(listFirings, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      await findSchedule(db, teamId, id);
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(scheduleFirings)
        .where(
          and(
            eq(scheduleFirings.teamId, teamId),
            eq(scheduleFirings.scheduleId, id),
            after === undefined ? undefined : lt(scheduleFirings.id, after),
          ),
        )
        .orderBy(desc(scheduleFirings.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (f) => f.id, presentFiring),
        200,
      );
    })
    .openapi(deleteSchedule, async (c) => {
      const { teamId } = teamCaller(c);
      await noBody(c);
      const { id } = c.req.valid('param');
      const [gone] = await db
        .delete(schedules)
        .where(and(eq(schedules.teamId, teamId), eq(schedules.id, id)))
        .returning({ id: schedules.id });
      if (!gone) throw notFound('schedule', id);
      return c.body(null, 204);
    });
}

function triggerOf(
  body: {
    everyMinutes?: number | undefined;
    at?: string[] | undefined;
    cron?: string | undefined;
    timezone: string;
  },
  now: Date,
) {
  const { timezone } = body;
  refuseUnless('timezone', () => checkTimeZone(timezone));
  if (body.everyMinutes !== undefined)
    return {
      intervalSeconds: body.everyMinutes * 60,
      cron: null,
      timezone,
      nextRunAt: new Date(now.getTime() + body.everyMinutes * 60_000),
    };
  const cron = body.at ? atTimesToCron(body.at) : body.cron!;
  const nextRunAt = refuseUnless('cron', () => nextCronTime(cron, now, timezone));
  return { cron, intervalSeconds: null, timezone, nextRunAt };
}

/** `check()`'s value, or a 400 naming `path` with its error's message. */
function refuseUnless<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    const message = (error as Error).message;
    throw badRequest('invalid-request', `invalid request body: ${path}: ${message}`, [
      { path, message },
    ]);
  }
}

async function findSchedule(db: Db, teamId: string, id: string): Promise<ScheduleRow> {
  const [row] = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.teamId, teamId), eq(schedules.id, id)));
  if (!row) throw notFound('schedule', id);
  return row;
}

// Runs: start one from an experiment (Idempotency-Key makes a retry safe), list and show them with
// their metrics, evaluations and checkpoints, read their event log, cancel them. The live stream
// is in run-stream.ts; metric points and curation rounds in run-series.ts.
import {
  IdParam,
  Run,
  RunCreate,
  RunDetail,
  RunEvent,
  RunEventsQuery,
  RunListQuery,
  pageOf,
} from '@curio/contracts';
import { and, asc, desc, eq, gt, lt, type Db } from '@curio/db';
import { checkpoints, evaluations, runEvents, runs, type Run as RunRow } from '@curio/db/schema';
import { UNFINISHED_STATUSES, transition } from '@curio/runs';
import { createRoute, z } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import { revokeRunTokens } from '../auth/run-tokens.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, noBody, problems } from '../http/openapi.js';
import { decodeCursor, decodeNumericCursor, toPage } from '../http/pagination.js';
import { notFound } from '../http/problem.js';
import {
  checkpointGflops,
  presentCheckpoint,
  presentEvaluation,
  presentEvent,
  presentRun,
} from '../presenters/runs.js';
import { latestMetrics } from '../services/latest-metrics.js';
import { runSearch } from '../services/run-search.js';
import { startRun } from '../services/start-run.js';
import { errorSummary } from '../log.js';

const tags = ['runs'];

const createRun = createRoute({
  method: 'post',
  path: '/runs',
  tags,
  summary: 'Start a run of an experiment (queued until a worker is free)',
  request: {
    headers: z.object({
      'idempotency-key': z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe('Same key, same run: a retried request returns the first run'),
    }),
    body: jsonBody(RunCreate),
  },
  responses: {
    201: jsonResponse(Run, 'The new run'),
    200: jsonResponse(Run, 'The run an earlier request with the same Idempotency-Key created'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const listRuns = createRoute({
  method: 'get',
  path: '/runs',
  tags,
  summary:
    'List runs, newest first (filter by status, experiment; q searches id, experiment name, status, device, error)',
  request: { query: RunListQuery },
  responses: { 200: jsonResponse(pageOf(Run), 'A page of runs'), ...problems(400, 401, 403) },
});

const getRun = createRoute({
  method: 'get',
  path: '/runs/{id}',
  tags,
  summary: 'Show a run: latest metrics, evaluations (with time and cost), checkpoints',
  request: { params: IdParam },
  responses: { 200: jsonResponse(RunDetail, 'The run'), ...problems(401, 403, 404) },
});

const listEvents = createRoute({
  method: 'get',
  path: '/runs/{id}/events',
  tags,
  summary: "A run's event log (status changes, logs, checkpoints, evaluations), oldest first",
  request: { params: IdParam, query: RunEventsQuery },
  responses: {
    200: jsonResponse(pageOf(RunEvent), 'A page of events'),
    ...problems(400, 401, 403, 404),
  },
});

const cancelRun = createRoute({
  method: 'post',
  path: '/runs/{id}/cancel',
  tags,
  summary: 'Cancel a run: it becomes canceled now and its worker is stopped',
  request: { params: IdParam },
  responses: {
    200: jsonResponse(Run, 'The canceled run'),
    ...problems(400, 401, 403, 404, 409, 413, 415),
  },
});

export function runRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createRun, async (c) => {
      const { teamId } = teamCaller(c);
      const idempotencyKey = c.req.valid('header')['idempotency-key'];
      const { run, created } = await startRun(ctx, teamId, c.req.valid('json'), { idempotencyKey });
      return created ? c.json(presentRun(run), 201) : c.json(presentRun(run), 200);
    })
    .openapi(listRuns, async (c) => {
      const { teamId } = teamCaller(c);
      const { limit, cursor, status, experimentId, q } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(runs)
        .where(
          and(
            eq(runs.teamId, teamId),
            status === undefined ? undefined : eq(runs.status, status),
            experimentId === undefined ? undefined : eq(runs.experimentId, experimentId),
            q === undefined ? undefined : runSearch(db, teamId, q),
            after === undefined ? undefined : lt(runs.id, after),
          ),
        )
        .orderBy(desc(runs.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => r.id, presentRun),
        200,
      );
    })
    .openapi(getRun, async (c) => {
      const { teamId } = teamCaller(c);
      const run = await findRun(db, teamId, c.req.valid('param').id);
      const [latest, evals, ckpts] = await Promise.all([
        latestMetrics(db, run.id),
        db
          .select()
          .from(evaluations)
          .where(eq(evaluations.runId, run.id))
          .orderBy(asc(evaluations.step), asc(evaluations.evalSetName)),
        db
          .select()
          .from(checkpoints)
          .where(eq(checkpoints.runId, run.id))
          .orderBy(asc(checkpoints.step)),
      ]);
      return c.json(
        {
          ...presentRun(run),
          spec: run.spec as Record<string, unknown> | null,
          resumeCheckpointId: run.resumeCheckpointId,
          latestMetrics: latest,
          evaluations: evals.map(presentEvaluation),
          checkpoints: ckpts.map(presentCheckpoint),
          forwardGflops: ckpts.length ? checkpointGflops(ckpts.at(-1)!) : null,
        },
        200,
      );
    })
    .openapi(listEvents, async (c) => {
      const { teamId } = teamCaller(c);
      const run = await findRun(db, teamId, c.req.valid('param').id);
      const { limit, cursor, type } = c.req.valid('query');
      const after = decodeNumericCursor(cursor);
      const rows = await db
        .select()
        .from(runEvents)
        .where(
          and(
            eq(runEvents.runId, run.id),
            type === undefined ? undefined : eq(runEvents.type, type as never),
            after === undefined ? undefined : gt(runEvents.seq, after),
          ),
        )
        .orderBy(asc(runEvents.seq))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (e) => e.seq, presentEvent),
        200,
      );
    })
    .openapi(cancelRun, async (c) => {
      const { teamId, credential } = teamCaller(c);
      await noBody(c);
      const { id } = c.req.valid('param');
      const { run } = await transition(db, id, 'canceled', {
        teamId,
        expectedFrom: [...UNFINISHED_STATUSES],
        stopReason: 'canceled',
        message: 'canceled',
        data: { by: credential.id },
      });
      await revokeRunTokens(db, id, ctx.timing.tokenGraceMs);
      // The worker also hears it in its next heartbeat answer; this stops it if it does not.
      ctx.dispatcher
        .terminate(id)
        .catch((e: unknown) => ctx.log(`terminate ${id}: ${errorSummary(e)}`));
      return c.json(presentRun(run), 200);
    });
}

export async function findRun(db: Db, teamId: string, id: string): Promise<RunRow> {
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.teamId, teamId), eq(runs.id, id)));
  if (!run) throw notFound('run', id);
  return run;
}

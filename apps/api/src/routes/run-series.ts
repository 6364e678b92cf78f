// A run's series for charts and panels: its metric points (whole, page by page, or downsampled to
// a number of buckets per series) and its curation rounds in order.
import {
  CurationRoundData,
  IdParam,
  PageQuery,
  RunMetric,
  RunMetricsQuery,
  pageOf,
} from '@curio/contracts';
import { and, asc, eq, gt } from '@curio/db';
import { metrics, runEvents } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonResponse, problems } from '../http/openapi.js';
import { decodeNumericCursor, toPage } from '../http/pagination.js';
import { badRequest } from '../http/problem.js';
import { presentMetric } from '../presenters/runs.js';
import { downsampledMetrics } from '../services/downsample-metrics.js';
import { findRun } from './runs.js';

const tags = ['runs'];

const listMetrics = createRoute({
  method: 'get',
  path: '/runs/{id}/metrics',
  tags,
  summary:
    "A run's metric points in the order they arrived; with ?points=N each series downsampled to at most N buckets (first, last, min, max of each)",
  request: { params: IdParam, query: RunMetricsQuery },
  responses: {
    200: jsonResponse(pageOf(RunMetric), 'A page of metric points (downsampled: one page)'),
    ...problems(400, 401, 403, 404),
  },
});

const listCuration = createRoute({
  method: 'get',
  path: '/runs/{id}/curation',
  tags,
  summary: "A run's curation rounds, oldest first",
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(CurationRoundData), 'A page of curation rounds'),
    ...problems(400, 401, 403, 404),
  },
});

export function runSeriesRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(listMetrics, async (c) => {
      const { teamId } = teamCaller(c);
      const run = await findRun(db, teamId, c.req.valid('param').id);
      const { limit, cursor, name, points } = c.req.valid('query');
      if (points !== undefined) {
        if (cursor !== undefined)
          throw badRequest('invalid-request', 'a downsampled answer is one page: drop cursor', [
            { path: 'cursor', message: 'not with points' },
          ]);
        return c.json(
          { items: await downsampledMetrics(db, run.id, points, name), nextCursor: null },
          200,
        );
      }
      const after = decodeNumericCursor(cursor, Number.MAX_SAFE_INTEGER); // a bigint id
      const rows = await db
        .select()
        .from(metrics)
        .where(
          and(
            eq(metrics.runId, run.id),
            name === undefined ? undefined : eq(metrics.name, name),
            after === undefined ? undefined : gt(metrics.id, after),
          ),
        )
        .orderBy(asc(metrics.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (m) => m.id, presentMetric),
        200,
      );
    })
    .openapi(listCuration, async (c) => {
      const { teamId } = teamCaller(c);
      const run = await findRun(db, teamId, c.req.valid('param').id);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeNumericCursor(cursor);
      const rows = await db
        .select({ seq: runEvents.seq, data: runEvents.data })
        .from(runEvents)
        .where(
          and(
            eq(runEvents.runId, run.id),
            eq(runEvents.type, 'curation'),
            after === undefined ? undefined : gt(runEvents.seq, after),
          ),
        )
        .orderBy(asc(runEvents.seq))
        .limit(limit + 1);
      // Stored only when its data parsed as a CurationRoundData (worker/results.ts).
      return c.json(
        toPage(
          rows,
          limit,
          (e) => e.seq,
          (e) => e.data as CurationRoundData,
        ),
        200,
      );
    });
}

// GET /v1/runs/:id/stream: server-sent events for the CLI and the dashboard. It looks at the store
// every `streamPollMs` and sends `run` (the run, when it changed), `event` (each new event-log
// entry, from the start), `metrics` (new points since the stream opened), `evaluation` (each
// evaluation, from the start), then `end` with the final run, and closes. Every
// `keyRecheckMs` it checks that the caller's key still stands; when it was revoked, expired or its
// role changed, it sends `closed` with the reason and closes.
import { IdParam, Problem, PROBLEM_CONTENT_TYPE } from '@curio/contracts';
import { and, asc, eq, gt, max } from '@curio/db';
import { evaluations, metrics, runEvents, runs } from '@curio/db/schema';
import { isFinalStatus } from '@curio/runs';
import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { teamCaller } from '../auth/caller.js';
import { credentialWatch } from '../auth/key-standing.js';
import type { AppContext } from '../deps.js';
import { createRouter } from '../http/openapi.js';
import { presentEvaluation, presentEvent, presentMetric, presentRun } from '../presenters/runs.js';
import { findRun } from './runs.js';

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
});

export function runStreamRoutes(ctx: AppContext) {
  const { db } = ctx;
  const router = createRouter();
  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/runs/{id}/stream',
    tags: ['runs'],
    summary:
      'Live run updates as server-sent events (run, event, metrics, evaluation, end; closed when the key is revoked)',
    request: { params: IdParam },
    responses: {
      200: {
        description: 'An event stream that ends when the run is final',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      401: problem('Missing, unknown or revoked key'),
      429: problem('Too many failed authentications from this address'),
      403: problem('A worker token'),
      404: problem("No such run in the caller's team"),
    },
  });

  router.get('/runs/:id/stream', async (c) => {
    const { teamId, credential, role } = teamCaller(c);
    const first = await findRun(db, teamId, c.req.param('id'));
    const [{ lastMetric } = { lastMetric: null }] = await db
      .select({ lastMetric: max(metrics.id) })
      .from(metrics)
      .where(eq(metrics.runId, first.id));
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      let lastSeq = 0;
      let lastMetricId = Number(lastMetric ?? 0);
      let lastRun = '';
      const sentEvaluations = new Map<string, string>();
      let id = 0;
      const send = (event: string, data: unknown) =>
        stream.writeSSE({ event, data: JSON.stringify(data), id: String(++id) });
      const keyChanged = credentialWatch(db, credential, role, ctx.timing.keyRecheckMs);
      while (open) {
        const change = await keyChanged();
        if (change) {
          await send('closed', { reason: change });
          break;
        }
        const [run] = await db
          .select()
          .from(runs)
          .where(and(eq(runs.id, first.id), eq(runs.teamId, teamId)));
        if (!run) break;
        const presented = presentRun(run);
        const snapshot = JSON.stringify(presented);
        if (snapshot !== lastRun) {
          lastRun = snapshot;
          await send('run', presented);
        }
        const events = await db
          .select()
          .from(runEvents)
          .where(and(eq(runEvents.runId, run.id), gt(runEvents.seq, lastSeq)))
          .orderBy(asc(runEvents.seq))
          .limit(500);
        for (const e of events) await send('event', presentEvent(e));
        lastSeq = events.at(-1)?.seq ?? lastSeq;
        const points = await db
          .select()
          .from(metrics)
          .where(and(eq(metrics.runId, run.id), gt(metrics.id, lastMetricId)))
          .orderBy(asc(metrics.id))
          .limit(5_000);
        if (points.length) await send('metrics', { points: points.map(presentMetric) });
        lastMetricId = points.at(-1)?.id ?? lastMetricId;
        const evals = await db
          .select()
          .from(evaluations)
          .where(eq(evaluations.runId, run.id))
          .orderBy(asc(evaluations.step));
        for (const e of evals) {
          const stamp = JSON.stringify(e.metrics);
          if (sentEvaluations.get(e.id) === stamp) continue;
          sentEvaluations.set(e.id, stamp);
          await send('evaluation', presentEvaluation(e));
        }
        if (isFinalStatus(run.status) && events.length < 500 && points.length < 5_000) {
          await send('end', presented);
          break;
        }
        await stream.sleep(ctx.timing.streamPollMs);
      }
    });
  });
  return router;
}

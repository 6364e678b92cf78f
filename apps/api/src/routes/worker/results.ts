// Worker protocol, what a run produces: metric points, log events, checkpoint records (after their
// blobs are uploaded) and evaluations, each stored with the device time and cost reached so far.
// Resends are upserts: the same metric point, checkpoint step or evaluation is stored once.
import {
  CurationRoundData,
  GrowthStepData,
  WorkerCheckpoint,
  WorkerEvaluation,
  WorkerEvents,
  WorkerMetrics,
} from '@curio/contracts';
import { and, eq, sql } from '@curio/db';
import {
  checkpoints,
  evalSets,
  evaluations,
  metrics,
  RUN_EVENT_TYPES,
  type RunEventType,
} from '@curio/db/schema';
import { appendEvent, appendEvents, type EventInput } from '@curio/runs';
import { createRoute } from '@hono/zod-openapi';
import { runCaller } from '../../auth/caller.js';
import type { AppContext } from '../../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../../http/openapi.js';
import { unprocessable } from '../../http/problem.js';
import { RunBlobs } from '../../services/run-blobs.js';
import { flattenEvalMetrics } from '../../services/eval-metrics.js';
import { checkpointParent, recordGrowthSteps } from '../../services/lineage-records.js';
import { fencedRun } from '../../services/worker-run.js';
import { CreatedId, RunParam, workerSecurity as security, workerTags as tags } from './params.js';

const METRIC_CHUNK = 2_000;

const postMetrics = createRoute({
  method: 'post',
  path: '/worker/runs/{runId}/metrics',
  tags,
  security,
  summary: 'A batch of metric points (step, name, value)',
  request: { params: RunParam, body: jsonBody(WorkerMetrics) },
  responses: { 204: { description: 'Stored' }, ...problems(400, 401, 403, 404, 409, 413, 415) },
});

const postEvents = createRoute({
  method: 'post',
  path: '/worker/runs/{runId}/events',
  tags,
  security,
  summary: 'A batch of log events (log, curation, data-problem, …)',
  request: { params: RunParam, body: jsonBody(WorkerEvents) },
  responses: { 204: { description: 'Stored' }, ...problems(400, 401, 403, 404, 409, 413, 415) },
});

const postCheckpoint = createRoute({
  method: 'post',
  path: '/worker/runs/{runId}/checkpoints',
  tags,
  security,
  summary: 'Record a checkpoint whose blobs were uploaded under `key`',
  request: { params: RunParam, body: jsonBody(WorkerCheckpoint) },
  responses: {
    200: jsonResponse(CreatedId, 'The checkpoint id'),
    ...problems(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

const postEvaluation = createRoute({
  method: 'post',
  path: '/worker/runs/{runId}/evaluations',
  tags,
  security,
  summary: 'Record an evaluation; the time and cost at which it was reached are stored with it',
  request: { params: RunParam, body: jsonBody(WorkerEvaluation) },
  responses: {
    200: jsonResponse(CreatedId, 'The evaluation id'),
    ...problems(400, 401, 403, 404, 409, 413, 415),
  },
});

export function workerResultRoutes(ctx: AppContext) {
  const { db } = ctx;
  const blobs = new RunBlobs(ctx.blobStore);
  return createRouter()
    .openapi(postMetrics, async (c) => {
      const run = await fencedRun(db, runCaller(c), 'live');
      const { points } = c.req.valid('json');
      for (let i = 0; i < points.length; i += METRIC_CHUNK) {
        await db
          .insert(metrics)
          .values(
            points
              .slice(i, i + METRIC_CHUNK)
              .map((p) => ({ teamId: run.teamId, runId: run.id, ...p })),
          )
          .onConflictDoUpdate({
            target: [metrics.runId, metrics.name, metrics.step],
            set: { value: sql`excluded.value` },
          });
      }
      return c.body(null, 204);
    })
    .openapi(postEvents, async (c) => {
      const run = await fencedRun(db, runCaller(c), 'live');
      const { events } = c.req.valid('json');
      await appendEvents(db, run.id, events.map(toEventInput));
      await recordGrowthSteps(db, run, events);
      return c.body(null, 204);
    })
    .openapi(postCheckpoint, async (c) => {
      const run = await fencedRun(db, runCaller(c), 'checkpoint');
      const body = c.req.valid('json');
      if (!(await blobs.exists(run.id, body.key)))
        throw unprocessable(
          'checkpoint-not-uploaded',
          `checkpoint key ${body.key} has no uploaded blobs: PUT them first`,
          [{ path: 'key', message: 'nothing uploaded under this key' }],
        );
      const [existing] = await db
        .select({ id: checkpoints.id })
        .from(checkpoints)
        .where(and(eq(checkpoints.runId, run.id), eq(checkpoints.step, body.step)));
      if (existing) return c.json({ id: existing.id }, 200);
      const parentCheckpointId = await checkpointParent(db, run, body.step, body.parentCheckpoint);
      const [row] = await db
        .insert(checkpoints)
        .values({
          teamId: run.teamId,
          runId: run.id,
          step: body.step,
          blobUri: blobs.uri(run.id, body.key),
          architecture: body.architecture,
          parentCheckpointId,
          sizeBytes: body.sizeBytes,
        })
        .onConflictDoNothing({ target: [checkpoints.runId, checkpoints.step] })
        .returning({ id: checkpoints.id });
      if (!row) {
        const [raced] = await db
          .select({ id: checkpoints.id })
          .from(checkpoints)
          .where(and(eq(checkpoints.runId, run.id), eq(checkpoints.step, body.step)));
        return c.json({ id: raced!.id }, 200);
      }
      await appendEvent(db, run.id, {
        type: 'checkpoint',
        message: `checkpoint at step ${body.step} (${body.sizeBytes} bytes)`,
        data: { checkpointId: row.id, step: body.step, key: body.key },
      });
      return c.json({ id: row.id }, 200);
    })
    .openapi(postEvaluation, async (c) => {
      const run = await fencedRun(db, runCaller(c), 'live');
      const body = c.req.valid('json');
      const [evalSet] = await db
        .select({ id: evalSets.id })
        .from(evalSets)
        .where(and(eq(evalSets.teamId, run.teamId), eq(evalSets.name, body.evalSet)));
      const checkpointUri = body.checkpointKey ? blobs.uri(run.id, body.checkpointKey) : undefined;
      const [checkpoint] = checkpointUri
        ? await db
            .select({ id: checkpoints.id })
            .from(checkpoints)
            .where(and(eq(checkpoints.runId, run.id), eq(checkpoints.blobUri, checkpointUri)))
        : [];
      const values = {
        checkpointId: checkpoint?.id ?? null,
        evalSetId: evalSet?.id ?? null,
        metrics: flattenEvalMetrics(body.metrics),
        elapsedSeconds: body.elapsedSeconds,
        deviceSeconds: run.deviceSeconds,
        cost: run.costEstimate,
      };
      const [row] = await db
        .insert(evaluations)
        .values({
          teamId: run.teamId,
          runId: run.id,
          evalSetName: body.evalSet,
          step: body.step,
          ...values,
        })
        .onConflictDoUpdate({
          target: [evaluations.runId, evaluations.evalSetName, evaluations.step],
          set: values,
        })
        .returning({ id: evaluations.id });
      const top1 = body.metrics.zeroShot.top1;
      await appendEvent(db, run.id, {
        type: 'evaluation',
        message: `${body.evalSet} at step ${body.step}: zero-shot top-1 ${(top1 * 100).toFixed(1)}% after ${Math.round(body.elapsedSeconds)} s, $${run.costEstimate.toFixed(4)}`,
        data: { evaluationId: row!.id, evalSet: body.evalSet, step: body.step, top1 },
      });
      return c.json({ id: row!.id }, 200);
    });
}

const STORED_TYPES = new Set<string>(RUN_EVENT_TYPES.filter((t) => t !== 'status'));

/** Events whose data must parse as their contract type to keep their type. */
const TYPED_DATA: Record<string, { safeParse(data: unknown): { success: boolean } }> = {
  curation: CurationRoundData,
  growth: GrowthStepData,
};

/**
 * Worker event types the store knows keep theirs (a `curation` event only when its data is a
 * `CurationRoundData`, a `growth` event a `GrowthStepData`); others are logs that say their kind.
 */
function toEventInput(e: {
  type: string;
  message: string;
  data?: Record<string, unknown> | undefined;
}): EventInput {
  const typed = TYPED_DATA[e.type]?.safeParse(e.data).success ?? true;
  if (STORED_TYPES.has(e.type) && typed)
    return {
      type: e.type as Exclude<RunEventType, 'status'>,
      message: e.message,
      data: e.data ?? null,
    };
  return { type: 'log', message: e.message, data: { ...e.data, kind: e.type } };
}

// Worker protocol, the run's life: fetch the assignment, say started, heartbeat (whose answer
// carries cancellation, supersession and a spent cost budget), say finished. Old attempts are
// fenced by their token: answered `superseded` (heartbeat) or 409 (everything else).
import {
  HeartbeatAnswer,
  WorkerAssignment,
  WorkerFinished,
  WorkerHeartbeat,
  WorkerStarted,
  type RunSpec,
} from '@curio/contracts';
import { eq } from '@curio/db';
import { checkpoints } from '@curio/db/schema';
import { ACTIVE_STATUSES, failRun, heartbeat, isFinalStatus, transition } from '@curio/runs';
import { createRoute } from '@hono/zod-openapi';
import { runCaller } from '../../auth/caller.js';
import { revokeRunTokens } from '../../auth/run-tokens.js';
import type { AppContext } from '../../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../../http/openapi.js';
import { ApiError, conflict } from '../../http/problem.js';
import { RunBlobs } from '../../services/run-blobs.js';
import { teamDataAccess } from '../../services/data-access.js';
import { runEvalSetObjects } from '../../services/object-eval-sets.js';
import { withObjectUrls } from '../../services/object-shards.js';
import { totalUsage, usageBefore } from '../../services/usage.js';
import { fencedRun } from '../../services/worker-run.js';
import { RunParam, workerSecurity, workerTags as tags } from './params.js';

const security = workerSecurity;
const noContent = (description: string) => ({ description });

const assignment = createRoute({
  method: 'get',
  path: '/worker/runs/{runId}/assignment',
  tags,
  security,
  summary: 'The resolved spec to train, the checkpoint to resume from, the heartbeat interval',
  request: { params: RunParam },
  responses: {
    200: jsonResponse(WorkerAssignment, 'The assignment'),
    ...problems(401, 403, 404, 409),
  },
});

const started = createRoute({
  method: 'post',
  path: '/worker/runs/{runId}/started',
  tags,
  security,
  summary: 'The worker has started: the run becomes running',
  request: { params: RunParam, body: jsonBody(WorkerStarted) },
  responses: { 204: noContent('Recorded'), ...problems(400, 401, 403, 404, 409, 413, 415) },
});

const beat = createRoute({
  method: 'post',
  path: '/worker/runs/{runId}/heartbeat',
  tags,
  security,
  summary: 'Sign of life with device time; the answer says whether to stop and why',
  request: { params: RunParam, body: jsonBody(WorkerHeartbeat) },
  responses: {
    200: jsonResponse(HeartbeatAnswer, 'Go on, or stop'),
    ...problems(400, 401, 403, 404, 413, 415),
  },
});

const finished = createRoute({
  method: 'post',
  path: '/worker/runs/{runId}/finished',
  tags,
  security,
  summary: 'The worker is done: succeeded (with its stop reason), canceled, or failed (retried)',
  request: { params: RunParam, body: jsonBody(WorkerFinished) },
  responses: { 204: noContent('Recorded'), ...problems(400, 401, 403, 404, 409, 413, 415) },
});

export function workerLifecycleRoutes(ctx: AppContext) {
  const { db } = ctx;
  const blobs = new RunBlobs(ctx.blobStore);
  return createRouter()
    .openapi(assignment, async (c) => {
      const caller = runCaller(c);
      const run = await fencedRun(db, caller, 'live');
      if (!run.spec) throw conflict('no-spec', `run ${run.id} has no resolved spec`);
      let resumeFrom: string | undefined;
      if (run.resumeCheckpointId) {
        const [ckpt] = await db
          .select()
          .from(checkpoints)
          .where(eq(checkpoints.id, run.resumeCheckpointId));
        resumeFrom = ckpt ? blobs.keyOfUri(run.id, ckpt.blobUri) : undefined;
      }
      return c.json(
        {
          runId: run.id,
          attempt: run.attempt,
          spec: run.spec,
          ...(resumeFrom !== undefined && { resumeFrom }),
          heartbeatSeconds: ctx.timing.heartbeatSeconds,
          dataAccess: await signedDataAccess(ctx, run.spec as RunSpec, run.teamId),
        },
        200,
      );
    })
    .openapi(started, async (c) => {
      const caller = runCaller(c);
      const body = c.req.valid('json');
      checkAttempt(body.attempt, caller.attempt);
      const run = await fencedRun(db, caller, 'live');
      if (run.status === 'running') return c.body(null, 204); // a resend
      const dispatcherKind = (run.backend ?? ctx.dispatcher.kind).split('/')[0];
      await transition(db, run.id, 'running', {
        expectedFrom: 'dispatching',
        attempt: caller.attempt,
        backend: `${dispatcherKind}/${body.backend}`,
        device: body.device,
        message: `running on ${body.device} (${body.backend})`,
      });
      return c.body(null, 204);
    })
    .openapi(beat, async (c) => {
      const caller = runCaller(c);
      const body = c.req.valid('json');
      if (body.attempt !== caller.attempt)
        return c.json({ stop: true, reason: 'superseded' as const }, 200);
      const run = await fencedRun(db, caller, 'any').catch((error: unknown) => {
        if (error instanceof ApiError && error.slug === 'superseded') return undefined;
        throw error;
      });
      if (!run) return c.json({ stop: true, reason: 'superseded' as const }, 200);
      const usage = totalUsage(
        ctx.prices,
        run,
        await usageBefore(db, run.id, caller.attempt),
        body.deviceSeconds,
      );
      const answer = await heartbeat(db, run.id, {
        attempt: caller.attempt,
        deviceSeconds: usage.deviceSeconds,
        costEstimate: usage.costEstimate,
      });
      if (answer.stop) return c.json({ stop: true, reason: answer.reason ?? 'finished' }, 200);
      if (run.budgetMaxCost !== null && usage.costEstimate >= run.budgetMaxCost)
        return c.json({ stop: true, reason: 'max_cost' as const }, 200);
      return c.json({ stop: false }, 200);
    })
    .openapi(finished, async (c) => {
      const caller = runCaller(c);
      const body = c.req.valid('json');
      const run = await fencedRun(db, caller, 'any');
      if (isFinalStatus(run.status)) {
        if (run.status === body.status) return c.body(null, 204); // a resend, or canceled meanwhile
        throw conflict(
          'run-final',
          `run ${run.id} is already ${run.status}; cannot record ${body.status}`,
        );
      }
      if (run.status === 'queued')
        throw conflict('superseded', `superseded: run ${run.id} was re-queued for another attempt`);
      const usage = totalUsage(
        ctx.prices,
        run,
        await usageBefore(db, run.id, caller.attempt),
        body.deviceSeconds,
      );
      await heartbeat(db, run.id, { attempt: caller.attempt, ...usage });
      const sameAttempt = (r: { attempt: number }) =>
        r.attempt === caller.attempt ? null : `superseded by attempt ${r.attempt}`;
      if (body.status === 'failed') {
        const { requeued } = await failRun(db, run.id, {
          error: body.error,
          retry: true,
          expectedFrom: [...ACTIVE_STATUSES],
          precondition: sameAttempt,
          data: { reportedBy: 'worker' },
        });
        if (!requeued) await revokeRunTokens(db, run.id, ctx.timing.tokenGraceMs);
        return c.body(null, 204);
      }
      const stopReason = body.status === 'succeeded' ? body.stopReason : 'canceled';
      await transition(db, run.id, body.status, {
        expectedFrom: body.status === 'succeeded' ? 'running' : [...ACTIVE_STATUSES],
        attempt: caller.attempt,
        stopReason,
        message: `${body.status} after ${body.steps} steps (${stopReason})`,
        data: { steps: body.steps, deviceSeconds: usage.deviceSeconds, cost: usage.costEstimate },
      });
      await revokeRunTokens(db, run.id, ctx.timing.tokenGraceMs);
      return c.body(null, 204);
    });
}

function checkAttempt(reported: number, token: number): void {
  if (reported !== token)
    throw conflict(
      'superseded',
      `superseded: the body says attempt ${reported}, this token is for attempt ${token}`,
    );
}

/** The team's data access, with a signed GET for each `s3://` shard and eval-set part of the run. */
async function signedDataAccess(ctx: AppContext, spec: RunSpec, teamId: string) {
  const access = await teamDataAccess(ctx, ctx.db, teamId);
  const objects = [
    ...spec.pool.sources.flatMap((s) => s.shards),
    ...(await runEvalSetObjects(ctx, spec.evalSets, access)),
  ];
  return withObjectUrls(ctx, objects, access);
}

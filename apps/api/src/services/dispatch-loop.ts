// The dispatch loop: while the dispatcher has room, take the oldest queued run, move it to
// dispatching (a new attempt, compare-and-set so two API processes never take the same run),
// issue the attempt's worker token, and hand it to the dispatcher. A dispatch that fails fails
// the attempt with the dispatcher's reason (retried within the run's attempts).
import { asc, eq, sql } from '@curio/db';
import { runs } from '@curio/db/schema';
import { failRun, isRunLifecycleError, transition } from '@curio/runs';
import { issueRunToken, revokeRunTokens } from '../auth/run-tokens.js';
import type { DispatchRequest } from '@curio/dispatch';
import type { AppContext } from '../deps.js';
import { errorSummary } from '../log.js';

export interface DispatchLoop {
  /** Dispatch queued runs while there is room; returns the run ids handed to the dispatcher. */
  tick(): Promise<string[]>;
  /** Dispatches still waiting for the dispatcher's answer. */
  pending(): number;
  /** Resolves when every pending dispatch has settled. */
  settled(): Promise<void>;
}

/**
 * The store's side of a dispatch: queued → dispatching (a new attempt; what the run had used so
 * far is recorded on the event, for the cost of this attempt) and the attempt's worker token.
 * Undefined when the run is no longer queued (another process took it, or it was canceled).
 */
export async function beginAttempt(
  ctx: AppContext,
  runId: string,
): Promise<DispatchRequest | undefined> {
  const { db } = ctx;
  const [queued] = await db
    .select({
      deviceSeconds: runs.deviceSeconds,
      costEstimate: runs.costEstimate,
      device: runs.device,
      maxMinutes: sql<number | null>`(${runs.spec}->'stop'->>'maxMinutes')::float8`,
    })
    .from(runs)
    .where(eq(runs.id, runId));
  if (!queued) return undefined;
  const device = queued.device ?? ctx.defaultDevice;
  let run;
  try {
    ({ run } = await transition(db, runId, 'dispatching', {
      expectedFrom: 'queued',
      backend: ctx.dispatcher.kind,
      device,
      data: { deviceSecondsBefore: queued.deviceSeconds, costBefore: queued.costEstimate },
    }));
  } catch (error) {
    if (isRunLifecycleError(error, 'conflict') || isRunLifecycleError(error, 'not_found'))
      return undefined;
    throw error;
  }
  const token = await issueRunToken(db, run);
  const request = { runId: run.id, attempt: run.attempt, apiUrl: ctx.publicUrl, token, device };
  return queued.maxMinutes ? { ...request, timeLimitSeconds: queued.maxMinutes * 60 } : request;
}

export function createDispatchLoop(ctx: AppContext): DispatchLoop {
  const { db, dispatcher } = ctx;
  const inFlight = new Set<Promise<void>>();

  const room = () => dispatcher.capacity - dispatcher.active() - inFlight.size;

  async function dispatchOne(): Promise<string | undefined | null> {
    const [next] = await db
      .select({ id: runs.id })
      .from(runs)
      .where(eq(runs.status, 'queued'))
      .orderBy(asc(runs.createdAt), asc(runs.id))
      .limit(1);
    if (!next) return undefined;
    const request = await beginAttempt(ctx, next.id);
    if (!request) return null;
    const run = { id: request.runId, attempt: request.attempt };
    const attempt = dispatcher.dispatch(request).then(
      (handle) =>
        ctx.log(
          `run ${run.id} attempt ${run.attempt}: worker ${handle.workerId} started (${dispatcher.kind})`,
        ),
      (error: unknown) => dispatchFailed(run.id, run.attempt, error),
    );
    const tracked: Promise<void> = attempt.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return run.id;
  }

  async function dispatchFailed(runId: string, attempt: number, error: unknown): Promise<void> {
    const reason = errorSummary(error);
    ctx.log(`run ${runId} attempt ${attempt}: dispatch failed: ${reason}`);
    try {
      const { requeued } = await failRun(db, runId, {
        error: `dispatch failed: ${reason}`,
        retry: true,
        expectedFrom: ['dispatching'],
        precondition: (r) => (r.attempt === attempt ? null : `now on attempt ${r.attempt}`),
        data: { reason: 'dispatch_failed' },
      });
      if (!requeued) await revokeRunTokens(db, runId, 0);
    } catch (failure) {
      if (!isRunLifecycleError(failure))
        ctx.log(`run ${runId}: could not record the failed dispatch: ${errorSummary(failure)}`);
    }
  }

  return {
    async tick() {
      const started: string[] = [];
      while (room() > 0) {
        const id = await dispatchOne();
        if (id === undefined) break;
        if (id) started.push(id);
      }
      return started;
    },
    pending: () => inFlight.size,
    settled: async () => {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

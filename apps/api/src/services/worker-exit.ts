// A local worker process that exits while its run is still active on its attempt (a crash, a
// kill) need not wait for the reaper: its attempt is failed now and retried within the run's
// attempts. Wired to LocalDispatcher's `onExit` by server.ts.
import { ACTIVE_STATUSES, failRun, isRunLifecycleError } from '@curio/runs';
import { revokeRunTokens } from '../auth/run-tokens.js';
import type { AppContext } from '../deps.js';

export interface WorkerExitInfo {
  runId: string;
  attempt: number;
  code: number | null;
  signal: string | null;
}

/** True when the exit failed the attempt (it had not reported its end). */
export async function handleWorkerExit(ctx: AppContext, exit: WorkerExitInfo): Promise<boolean> {
  const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
  try {
    const { requeued } = await failRun(ctx.db, exit.runId, {
      error: `worker exited (${how}) without reporting its end`,
      retry: true,
      expectedFrom: [...ACTIVE_STATUSES],
      precondition: (r) => (r.attempt === exit.attempt ? null : `now on attempt ${r.attempt}`),
      data: { reason: 'worker_exited', code: exit.code, signal: exit.signal },
    });
    if (!requeued) await revokeRunTokens(ctx.db, exit.runId, ctx.timing.tokenGraceMs);
    ctx.log(
      `run ${exit.runId} attempt ${exit.attempt}: worker exited (${how}); ${requeued ? 're-queued' : 'failed'}`,
    );
    return true;
  } catch (error) {
    if (isRunLifecycleError(error)) return false; // it had ended, or moved on
    throw error;
  }
}

// The run behind a worker request, fenced: a token of an earlier attempt is answered 409
// "superseded" (its worker must stop), and writes need the run to be live (else 409
// "run-canceled" or "run-final", the problem's type, which the worker reads).
import { and, eq, type Db } from '@curio/db';
import { runs, type Run } from '@curio/db/schema';
import { isActiveStatus } from '@curio/runs';
import type { RunCaller } from '../auth/caller.js';
import { conflict, notFound } from '../http/problem.js';

/**
 * `live`: the run must be dispatching or running (writes); `checkpoint`: live, or canceled (a
 * canceled run's worker still saves where it stopped, and applies retention, while its token
 * lasts); `any`: any status (reads, `finished`, which checks the status itself).
 */
export async function fencedRun(
  db: Db,
  caller: RunCaller,
  mode: 'live' | 'checkpoint' | 'any',
): Promise<Run> {
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, caller.runId), eq(runs.teamId, caller.teamId)));
  if (!run) throw notFound('run', caller.runId);
  if (run.attempt !== caller.attempt)
    throw conflict(
      'superseded',
      `superseded: this token is for attempt ${caller.attempt}, run ${run.id} is on attempt ${run.attempt}; stop`,
    );
  const writable =
    isActiveStatus(run.status) || (mode === 'checkpoint' && run.status === 'canceled');
  if (mode !== 'any' && !writable) {
    if (run.status === 'queued')
      throw conflict(
        'superseded',
        `superseded: run ${run.id} was re-queued for another attempt; stop`,
      );
    const slug = run.status === 'canceled' ? 'run-canceled' : 'run-final';
    throw conflict(slug, `run ${run.id} is ${run.status}; stop`);
  }
  return run;
}

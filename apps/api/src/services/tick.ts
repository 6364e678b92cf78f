// One pass of the background work, as a function: fire the due schedules, reap the silent runs,
// dispatch the queued ones (in that order, so a fired or re-queued run is dispatched in the same
// pass). A timer calls it on Node (background.ts runs each job on its own interval), the edge's
// cron `scheduled()` handler calls it once a minute. Ticks may overlap — two processes, two cron
// invocations — and still do each job once: a firing claims its (schedule, due time) row, a
// reaped or dispatched run moves by compare-and-set under its row lock (@curio/runs transition),
// so the second tick finds the work taken and does nothing with it.
import type { ReapedRun } from '@curio/runs';
import type { AppContext } from '../deps.js';
import { describeError } from '../log.js';
import type { DispatchLoop } from './dispatch-loop.js';
import type { Reaper } from './reaper.js';
import { fireDueSchedules } from './scheduler.js';

export interface TickJobs {
  dispatch: DispatchLoop;
  reaper: Reaper;
}

/** What one tick did: the runs its schedules started, the runs it reaped, the runs it dispatched. */
export interface TickReport {
  fired: string[];
  reaped: ReapedRun[];
  dispatched: string[];
}

/**
 * Run every job once. A job that fails is logged and the next one still runs; the dispatches
 * started are awaited (at the edge nothing outlives the handler).
 */
export async function tick(ctx: AppContext, jobs: TickJobs): Promise<TickReport> {
  const attempt = async <T>(name: string, job: () => Promise<T>, none: T): Promise<T> => {
    try {
      return await job();
    } catch (error) {
      ctx.log(`${name}: ${describeError(error)}`);
      return none;
    }
  };
  const fired = await attempt('scheduler', () => fireDueSchedules(ctx), []);
  const reaped = await attempt('reaper', () => jobs.reaper.tick(), []);
  const dispatched = await attempt('dispatch loop', () => jobs.dispatch.tick(), []);
  await jobs.dispatch.settled();
  return { fired, reaped, dispatched };
}

// The Node API process's background work: the dispatch loop, the reaper and the scheduler, each on
// its own timer, run one at a time (they share the store; PGlite does one thing at a time anyway).
// The edge has no timers: its cron handler calls `tick` (tick.ts), which runs the same jobs once.
import type { AppContext } from '../deps.js';
import { BACKGROUND_JOBS, type BackgroundJob } from './background-jobs.js';
import { createDispatchLoop, type DispatchLoop } from './dispatch-loop.js';
import { createReaper, type Reaper } from './reaper.js';
import { fireDueSchedules } from './scheduler.js';
import { tick, type TickReport } from './tick.js';
import { describeError } from '../log.js';

export interface Background {
  dispatch: DispatchLoop;
  reaper: Reaper;
  /** Run the scheduler, the reaper and the dispatch loop once now (`tick`, after the work under way). */
  tickNow(): Promise<TickReport | undefined>;
  /** Stops the timers and waits for the work under way. */
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  /** Run the jobs on timers (default); false: only `tickNow` runs them. */
  timers?: boolean;
  /** The jobs the timers run (default all): CURIO_BACKGROUND. */
  jobs?: readonly BackgroundJob[];
}

export function startBackground(ctx: AppContext, options: BackgroundOptions = {}): Background {
  const dispatch = createDispatchLoop(ctx);
  const reaper = createReaper(ctx);
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const serial = (name: string, job: () => Promise<unknown>): Promise<void> => {
    const next = chain.then(async () => {
      if (stopped) return;
      try {
        await job();
      } catch (error) {
        ctx.log(`${name}: ${describeError(error)}`);
      }
    });
    chain = next;
    return next;
  };

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, name: string, job: () => Promise<unknown>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return; // never pile up ticks of one job
      busy = true;
      void serial(name, job).finally(() => (busy = false));
    }, ms);
    timer.unref();
    timers.push(timer);
  };
  const jobs = new Set(options.jobs ?? BACKGROUND_JOBS);
  if (options.timers ?? true) {
    if (jobs.has('dispatch'))
      every(ctx.timing.dispatchIntervalMs, 'dispatch loop', () => dispatch.tick());
    if (jobs.has('reaper')) every(ctx.timing.reapIntervalMs, 'reaper', () => reaper.tick());
    if (jobs.has('schedules'))
      every(ctx.timing.scheduleIntervalMs, 'scheduler', () => fireDueSchedules(ctx));
  }

  return {
    dispatch,
    reaper,
    tickNow: async () => {
      let report: TickReport | undefined;
      await serial('tick', async () => (report = await tick(ctx, { dispatch, reaper })));
      return report;
    },
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await chain;
      stopped = true;
      await dispatch.settled();
    },
  };
}

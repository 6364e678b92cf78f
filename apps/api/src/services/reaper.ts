// The reaper: a run whose worker stopped heartbeating is failed and, within its attempts,
// re-queued to resume from its last checkpoint (@curio/runs reapStaleRuns). A reaped worker that
// is somehow still alive is stopped, and the tokens of runs that ended are revoked.
//
// After the API starts it waits one stale period before reaping: runs left dispatching or running
// by the previous API process belong to workers that kept retrying their heartbeats while the API
// was away, and they get the chance to reach it before anything is judged stale.
import { reapStaleRuns, type ReapedRun } from '@curio/runs';
import { revokeRunTokens, revokeTokensOfFinalRuns } from '../auth/run-tokens.js';
import type { AppContext } from '../deps.js';
import { errorSummary } from '../log.js';

export interface Reaper {
  tick(): Promise<ReapedRun[]>;
}

export function createReaper(ctx: AppContext, startedAt = Date.now()): Reaper {
  const { db } = ctx;
  return {
    async tick() {
      if (Date.now() - startedAt < ctx.timing.staleAfterMs) return [];
      const reaped = await reapStaleRuns(db, { staleAfterMs: ctx.timing.staleAfterMs });
      for (const r of reaped) {
        ctx.log(
          `run ${r.runId} attempt ${r.attempt}: no heartbeat, ${r.outcome === 'requeued' ? 're-queued' : 'failed'}`,
        );
        if (r.outcome === 'failed') await revokeRunTokens(db, r.runId, ctx.timing.tokenGraceMs);
        await ctx.dispatcher
          .terminate(r.runId)
          .catch((e: unknown) => ctx.log(`terminate ${r.runId}: ${errorSummary(e)}`));
      }
      await revokeTokensOfFinalRuns(db, ctx.timing.tokenGraceMs);
      return reaped;
    },
  };
}

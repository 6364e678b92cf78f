// failRun(): fail a run and, when asked and attempts are left, re-queue it to resume from its
// latest checkpoint, both in one transaction: the run row never rests in `failed` when a retry
// follows, so a watcher that stops at a final status is not misled (the events show both steps).
import type { Db } from '@curio/db';
import type { Run } from '@curio/db/schema';
import type { RunStatus } from './statuses';
import { transition, type TransitionOptions } from './transition';

export interface FailRunOptions extends Pick<
  TransitionOptions,
  'data' | 'stopReason' | 'expectedFrom' | 'teamId' | 'precondition'
> {
  error: string;
  /** Re-queue if attempt < max_attempts (default false). */
  retry?: boolean;
}

export interface FailRunResult {
  run: Run;
  /** The status the run failed from. */
  from: RunStatus;
  /** True when the run was re-queued for another attempt. */
  requeued: boolean;
}

export async function failRun(
  db: Db,
  runId: string,
  options: FailRunOptions,
): Promise<FailRunResult> {
  const { retry = false, ...rest } = options;
  return db.transaction(async (tx) => {
    const failed = await transition(tx, runId, 'failed', {
      ...rest,
      message: `failed: ${options.error}`,
    });
    const from = failed.event.fromStatus as RunStatus;
    const { attempt, maxAttempts } = failed.run;
    if (!retry || attempt >= maxAttempts) return { run: failed.run, from, requeued: false };
    const queued = await transition(tx, runId, 'queued', {
      message: `retry: attempt ${attempt + 1} of ${maxAttempts}`,
      data: { reason: options.error },
    });
    return { run: queued.run, from, requeued: true };
  });
}

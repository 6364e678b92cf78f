// The allowed status transitions, as data. Everything else is refused.
//
//   queued      → dispatching (a dispatcher took it; attempt += 1) | canceled
//   dispatching → running (the worker started) | failed (it could not start, or went silent)
//               | canceled
//   running     → succeeded | failed | canceled
//   failed      → queued: a retry, allowed only while attempt < max_attempts. The reaper fails a
//                 run whose heartbeat stopped, then re-queues it this way to resume from its last
//                 checkpoint.
//   succeeded, canceled: final.
import type { RunStatus } from './statuses';

export const TRANSITIONS = {
  queued: ['dispatching', 'canceled'],
  dispatching: ['running', 'failed', 'canceled'],
  running: ['succeeded', 'failed', 'canceled'],
  succeeded: [],
  failed: ['queued'],
  canceled: [],
} as const satisfies Record<RunStatus, readonly RunStatus[]>;

/** Whether the table allows `from → to` at all (a retry also needs attempts left). */
export function isAllowedTransition(from: RunStatus, to: RunStatus): boolean {
  return (TRANSITIONS[from] as readonly RunStatus[]).includes(to);
}

/** failed → queued is the one transition that depends on the run, not just the two statuses. */
export function isRetry(from: RunStatus, to: RunStatus): boolean {
  return from === 'failed' && to === 'queued';
}

export interface RunAttempts {
  attempt: number;
  maxAttempts: number;
}

/**
 * Why `from → to` is refused for this run, or null when it is allowed.
 * The reasons name both statuses, e.g. "succeeded → running is not an allowed transition".
 */
export function refusal(from: RunStatus, to: RunStatus, run: RunAttempts): string | null {
  if (!isAllowedTransition(from, to)) {
    const allowed = TRANSITIONS[from] as readonly RunStatus[];
    const next = allowed.length
      ? `from ${from} a run may go to ${allowed.join(', ')}`
      : `${from} is final`;
    return `${from} → ${to} is not an allowed transition (${next})`;
  }
  if (isRetry(from, to) && run.attempt >= run.maxAttempts) {
    return `failed → queued (a retry) needs attempts left: attempt ${run.attempt} of ${run.maxAttempts}`;
  }
  return null;
}

// The errors the lifecycle throws; `code` tells an API which answer to give (404 / 409).
import type { RunStatus } from './statuses';

export type RunErrorCode =
  /** No such run (in this team, when one was given). */
  | 'not_found'
  /** The transitions table refuses from → to, or a retry has no attempts left. */
  | 'illegal_transition'
  /** The run is not in the status (or state) the caller expected: someone else got there first. */
  | 'conflict';

export class RunLifecycleError extends Error {
  override readonly name = 'RunLifecycleError';
  constructor(
    readonly code: RunErrorCode,
    readonly runId: string,
    message: string,
    readonly from?: RunStatus,
    readonly to?: RunStatus,
  ) {
    super(message);
  }
}

export function isRunLifecycleError(
  error: unknown,
  code?: RunErrorCode,
): error is RunLifecycleError {
  return error instanceof RunLifecycleError && (code === undefined || error.code === code);
}

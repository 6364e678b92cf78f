// @curio/runs: the run lifecycle. transition() is the only writer of a run's status.
export {
  RUN_STATUSES,
  FINAL_STATUSES,
  ACTIVE_STATUSES,
  UNFINISHED_STATUSES,
  isRunStatus,
  isFinalStatus,
  isActiveStatus,
  isUnfinishedStatus,
  type RunStatus,
  type FinalStatus,
  type ActiveStatus,
  type UnfinishedStatus,
} from './statuses';
export {
  TRANSITIONS,
  isAllowedTransition,
  isRetry,
  refusal,
  type RunAttempts,
} from './transitions';
export { RunLifecycleError, isRunLifecycleError, type RunErrorCode } from './errors';
export { transition, type TransitionOptions, type TransitionResult } from './transition';
export { createRun, type CreateRunInput, type CreateRunResult } from './create';
export { appendEvent, appendEvents, type EventInput } from './events';
export {
  heartbeat,
  type HeartbeatAnswer,
  type HeartbeatInput,
  type StopWorkerReason,
} from './heartbeat';
export { failRun, type FailRunOptions, type FailRunResult } from './fail';
export { reapStaleRuns, type ReapOptions, type ReapedRun } from './reaper';

// Run statuses. The lists and predicates are @curio/contracts' (the API, the CLI and the store's
// `run_status` pgEnum all read them there); this module re-exports them for the lifecycle code.
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
} from '@curio/contracts';

// Run statuses. The list is the `run_status` pgEnum's (drizzle/src/schema/enums.ts), imported so
// the database and this module cannot drift; the predicates below are the only place that says
// which statuses are final or active.
import { RUN_STATUSES, type RunStatus } from '@curio/db/schema';

export { RUN_STATUSES, type RunStatus };

/** Statuses a run never leaves. `failed` is final too, except for a retry (see transitions.ts). */
export const FINAL_STATUSES = [
  'succeeded',
  'failed',
  'canceled',
] as const satisfies readonly RunStatus[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** Statuses in which a worker is (or is being) given the run, so heartbeats are expected. */
export const ACTIVE_STATUSES = ['dispatching', 'running'] as const satisfies readonly RunStatus[];
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && (RUN_STATUSES as readonly string[]).includes(value);
}

export function isFinalStatus(status: RunStatus): status is FinalStatus {
  return (FINAL_STATUSES as readonly RunStatus[]).includes(status);
}

export function isActiveStatus(status: RunStatus): status is ActiveStatus {
  return (ACTIVE_STATUSES as readonly RunStatus[]).includes(status);
}

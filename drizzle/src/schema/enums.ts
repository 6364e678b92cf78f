// Enumerations shared by the tables and by the packages that use them. Run statuses and stop
// reasons come from `@curio/contracts` (one vocabulary for the trainer, the API, the store and the
// CLI); `@curio/runs` imports the statuses from here, so the pgEnum and the lifecycle code cannot
// drift apart.
import { RUN_STATUSES, STOP_REASONS } from '@curio/contracts';
import { pgEnum } from 'drizzle-orm/pg-core';

export { RUN_STATUSES, STOP_REASONS };

/** queued → dispatching → running → succeeded | failed | canceled (see packages/runs/README.md). */
export type RunStatus = (typeof RUN_STATUSES)[number];
export const runStatus = pgEnum('run_status', RUN_STATUSES);

export const MEMBERSHIP_ROLES = ['owner', 'member', 'viewer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export const membershipRole = pgEnum('membership_role', MEMBERSHIP_ROLES);

/**
 * `team`: an API key acting in one team (optionally on behalf of a user).
 * `run`: a worker token, good only for the one run it was issued for.
 */
export const API_KEY_KINDS = ['team', 'run'] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];
export const apiKeyKind = pgEnum('api_key_kind', API_KEY_KINDS);

// The two below are TypeScript-only enums on text columns: adding a value needs no migration.

/** Why a run stopped. */
export type StopReason = (typeof STOP_REASONS)[number];

/** `status` events are written only by `transition()` in `@curio/runs`. */
export const RUN_EVENT_TYPES = [
  'status',
  'log',
  'progress',
  'checkpoint',
  'evaluation',
  'curation',
  'growth',
] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

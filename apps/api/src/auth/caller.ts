// Who is calling: a team key or a browser session (either acting in its team with its role), or a
// worker token (good only for its run and attempt). Set by middleware/authenticate.ts, read
// through the helpers below.
import type { Role } from '@curio/contracts';
import type { Context } from 'hono';
import { forbidden, unauthorized } from '../http/problem.js';

/** What a team caller authenticated with: an API key, or a browser session (a signed-in user). */
export type Credential =
  { kind: 'key'; id: string; name: string; prefix: string } | { kind: 'session'; id: string };

export interface TeamCaller {
  kind: 'team';
  credential: Credential;
  teamId: string;
  role: Role;
  userId: string | null;
}

export interface RunCaller {
  kind: 'run';
  keyId: string;
  teamId: string;
  runId: string;
  attempt: number;
}

export type Caller = TeamCaller | RunCaller;

declare module 'hono' {
  interface ContextVariableMap {
    caller: Caller | undefined;
    requestId: string;
  }
}

/** The team key behind a team route (the auth middleware has already refused worker tokens). */
export function teamCaller(c: Context): TeamCaller {
  const caller = c.get('caller');
  if (!caller) throw unauthorized('missing API key: send Authorization: Bearer <key>');
  if (caller.kind !== 'team')
    throw forbidden('a worker token may only call /v1/worker/runs/<its run>/…');
  return caller;
}

/** The worker token behind a worker route. */
export function runCaller(c: Context): RunCaller {
  const caller = c.get('caller');
  if (!caller) throw unauthorized('missing worker token: send Authorization: Bearer <token>');
  if (caller.kind !== 'run')
    throw forbidden("worker routes take a run's worker token, not an API key");
  return caller;
}

const RANK: Record<Role, number> = { viewer: 0, member: 1, owner: 2 };

/** Whether `role` has at least `needed`'s rights. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

// Which key may call what. Team routes take team keys or sessions, and a viewer only reads (403
// on writes; signing out excepted).
// Worker routes take the worker token of the run in the path, nothing else.
import type { MiddlewareHandler } from 'hono';
import { runCaller, teamCaller } from '../auth/caller.js';
import { forbidden } from '../http/problem.js';
import { isPublicRoute, isRead } from './authenticate.js';

/** Writes anyone signed in may make, a viewer included: ending their own session. */
const OWN_SESSION = '/v1/auth/logout';

export function teamAccess(): MiddlewareHandler {
  return async (c, next) => {
    if (isPublicRoute(c.req.method, c.req.path) || c.req.path.startsWith('/v1/worker/'))
      return next();
    const caller = teamCaller(c);
    if (caller.role === 'viewer' && !isRead(c.req.method) && c.req.path !== OWN_SESSION)
      throw forbidden(`this key has the viewer role: it can read but not ${c.req.method}`);
    await next();
  };
}

/** Mounted on /v1/worker/runs/:runId/*. */
export function workerAccess(): MiddlewareHandler {
  return async (c, next) => {
    const caller = runCaller(c);
    const runId = c.req.param('runId');
    if (runId !== caller.runId)
      throw forbidden(`this worker token is for run ${caller.runId}, not ${runId}`);
    await next();
  };
}

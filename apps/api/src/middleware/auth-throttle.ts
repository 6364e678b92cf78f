// Rate limit on failed authentications: every 401 that tried a credential (a key, a session
// cookie, a password or a token) counts against the client's address, and an
// address over the limit is answered 429 with Retry-After before its key is even looked at. The
// OpenAPI document and the health check stay open.
import type { Context, MiddlewareHandler } from 'hono';
import type { AuthThrottle } from '../auth/throttle.js';
import { sessionSecretOf } from '../auth/browser-sessions.js';
import { ApiError } from '../http/problem.js';

export function authThrottle(
  throttle: AuthThrottle,
  clientAddress: (c: Context) => string,
): MiddlewareHandler {
  return async (c, next) => {
    if (
      c.req.method === 'GET' &&
      (c.req.path === '/v1/health' || c.req.path === '/v1/openapi.json')
    )
      return next();
    const client = clientAddress(c);
    const waitMs = throttle.retryAfterMs(client);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      c.header('Retry-After', String(seconds));
      throw new ApiError(
        429,
        'too-many-failed-authentications',
        `too many failed authentications from this address: try again in ${seconds} s`,
      );
    }
    await next();
    if (c.res.status === 401 && guessed(c)) throttle.fail(client);
  };
}

/**
 * Whether a refused request tried a credential. A read that sent no key and no session cookie
 * (a dashboard asking GET /v1/auth/session while signed out) guessed nothing and is not counted.
 */
function guessed(c: Context): boolean {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return true;
  return c.req.header('authorization') !== undefined || sessionSecretOf(c) !== undefined;
}

/** The peer address of a request served by @hono/node-server; 'unknown' elsewhere. */
export function socketAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

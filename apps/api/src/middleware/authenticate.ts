// Authentication: `Authorization: Bearer <key>` is looked up by its SHA-256 hash (unknown, revoked
// or expired keys are a 401; the key's last-used time is kept to the minute). Without one, the
// `curio_session` cookie of a signed-in browser is looked up the same way, and a state-changing
// request made with it must carry the session's CSRF token in `x-csrf-token` (else 403).
import { CSRF_HEADER } from '@curio/contracts';
import { and, eq, isNull, lt, or, sql, type Db } from '@curio/db';
import { apiKeys } from '@curio/db/schema';
import type { Context, MiddlewareHandler } from 'hono';
import { callerForSession, csrfMatches, sessionSecretOf } from '../auth/browser-sessions.js';
import type { Caller } from '../auth/caller.js';
import { hashSecret } from '../auth/secrets.js';
import { ApiError, unauthorized } from '../http/problem.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request only reads (no CSRF token needed, a viewer may make it). */
export const isRead = (method: string) => READS.has(method);

/** Sign-in routes: they take a password or a one-time token in their body instead. */
const SIGN_IN = [
  /^\/v1\/auth\/(signup|login|login-links)$/,
  /^\/v1\/invites\/[^/]+\/accept$/,
  /^\/v1\/auth\/login-links\/[^/]+\/redeem$/,
];

/**
 * Routes that take no team key: the OpenAPI document, a health check, bootstrap and the admin
 * routes (which check the admin token themselves), and the sign-in routes (`POST
 * /v1/auth/login-links` takes a team key, a session or the admin token, and checks them itself).
 */
export function isPublicRoute(method: string, path: string): boolean {
  if (method === 'GET' && (path === '/v1/openapi.json' || path === '/v1/health')) return true;
  if (path.startsWith('/v1/admin/')) return true;
  if (method === 'POST' && SIGN_IN.some((re) => re.test(path))) return true;
  return method === 'POST' && path === '/v1/bootstrap';
}

/** The bearer secret of a request, or undefined when it sends none. */
export function bearerSecret(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('the Authorization header must be "Bearer <key>"');
  return match[1];
}

export function authenticate(db: Db): MiddlewareHandler {
  return async (c, next) => {
    if (isPublicRoute(c.req.method, c.req.path)) return next();
    c.set('caller', await callerOf(c, db));
    await next();
  };
}

/** The caller of a request: its bearer key, else its session (CSRF-checked on writes). */
export async function callerOf(c: Context, db: Db): Promise<Caller> {
  const secret = bearerSecret(c.req.header('authorization'));
  if (secret) return callerForSecret(db, secret);
  const session = sessionSecretOf(c);
  if (!session) throw unauthorized('missing API key: send Authorization: Bearer <key>, or sign in');
  const caller = await callerForSession(db, session);
  if (!isRead(c.req.method) && !csrfMatches(session, c.req.header(CSRF_HEADER)))
    throw new ApiError(
      403,
      'csrf-failed',
      `a ${c.req.method} made with a session cookie must carry the session's CSRF token in the ${CSRF_HEADER} header (from GET /v1/auth/session)`,
    );
  return caller;
}

export async function callerForSecret(db: Db, secret: string): Promise<Caller> {
  const [key] = await db
    .select({
      id: apiKeys.id,
      kind: apiKeys.kind,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      teamId: apiKeys.teamId,
      role: apiKeys.role,
      userId: apiKeys.userId,
      runId: apiKeys.runId,
      attempt: apiKeys.attempt,
      revoked: sql<boolean>`${apiKeys.revokedAt} is not null and ${apiKeys.revokedAt} <= now()`,
      expired: sql<boolean>`${apiKeys.expiresAt} is not null and ${apiKeys.expiresAt} <= now()`,
    })
    .from(apiKeys)
    .where(eq(apiKeys.hash, hashSecret(secret)));
  if (!key) throw unauthorized('unknown API key');
  if (key.revoked) throw unauthorized(`API key ${key.prefix}… has been revoked`);
  if (key.expired) throw unauthorized(`API key ${key.prefix}… has expired`);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, key.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
  if (key.kind === 'run')
    return {
      kind: 'run',
      keyId: key.id,
      teamId: key.teamId,
      runId: key.runId!,
      attempt: key.attempt!,
    };
  return {
    kind: 'team',
    credential: { kind: 'key', id: key.id, name: key.name, prefix: key.prefix },
    teamId: key.teamId,
    role: key.role,
    userId: key.userId,
  };
}

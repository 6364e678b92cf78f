// Bearer authentication: `Authorization: Bearer <key>` is looked up by its SHA-256 hash. Unknown,
// revoked or expired keys are a 401. The key's last-used time is kept (to the minute).
import { and, eq, isNull, lt, or, sql, type Db } from '@curio/db';
import { apiKeys } from '@curio/db/schema';
import type { MiddlewareHandler } from 'hono';
import type { Caller } from '../auth/caller.js';
import { hashSecret } from '../auth/secrets.js';
import { unauthorized } from '../http/problem.js';

/**
 * Routes that take no team key: the OpenAPI document, a health check, and bootstrap and the admin
 * routes (which check the admin token themselves).
 */
export function isPublicRoute(method: string, path: string): boolean {
  if (method === 'GET' && (path === '/v1/openapi.json' || path === '/v1/health')) return true;
  if (path.startsWith('/v1/admin/')) return true;
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
    const secret = bearerSecret(c.req.header('authorization'));
    if (!secret) throw unauthorized('missing API key: send Authorization: Bearer <key>');
    c.set('caller', await callerForSecret(db, secret));
    await next();
  };
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
    keyId: key.id,
    keyName: key.name,
    prefix: key.prefix,
    teamId: key.teamId,
    role: key.role,
    userId: key.userId,
  };
}

// The operator's admin token (CURIO_ADMIN_TOKEN): it opens bootstrap once a team exists and the
// admin routes (a team's data grants). Compared in constant time.
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { unauthorized } from '../http/problem.js';
import { bearerSecret } from '../middleware/authenticate.js';

export function isAdminToken(adminToken: string | undefined, secret: string): boolean {
  if (!adminToken) return false;
  const a = Buffer.from(adminToken);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws a 401 unless the request carries the admin token. */
export function requireAdmin(adminToken: string | undefined, c: Context): void {
  const secret = bearerSecret(c.req.header('authorization'));
  if (secret === undefined)
    throw unauthorized('missing admin token: send Authorization: Bearer <CURIO_ADMIN_TOKEN>');
  if (!isAdminToken(adminToken, secret)) throw unauthorized('that is not the admin token');
}

// Browser sessions: the `curio_session` cookie holds a random secret; the store keeps its SHA-256
// hash, the team and user it acts for, its expiry and when it was last seen (a user's expired
// sessions are deleted when it signs in again). The CSRF token is an
// HMAC of the fixed label below keyed by that secret: derived from the session, unknown to another
// site, and checked in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SESSION_COOKIE } from '@curio/contracts';
import { and, eq, gt, lt, sql, type Db } from '@curio/db';
import { memberships, sessions, type Session } from '@curio/db/schema';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { unauthorized } from '../http/problem.js';
import type { TeamCaller } from './caller.js';
import { hashSecret, randomToken } from './secrets.js';

/** How long a session lasts from sign-in. */
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export async function startSession(
  db: Db,
  input: { teamId: string; userId: string },
): Promise<{ session: Session; secret: string }> {
  const secret = randomToken();
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, input.userId), lt(sessions.expiresAt, sql`now()`)));
  const [session] = await db
    .insert(sessions)
    .values({
      teamId: input.teamId,
      userId: input.userId,
      secretHash: hashSecret(secret),
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
    })
    .returning();
  return { session: session!, secret };
}

export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('curio-csrf-v1').digest('base64url');
}

export function csrfMatches(secret: string, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const expected = Buffer.from(csrfTokenFor(secret));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The caller a session cookie stands for: its user in its team, with the membership's role. */
export async function callerForSession(db: Db, secret: string): Promise<TeamCaller> {
  const [row] = await db
    .select({
      id: sessions.id,
      teamId: sessions.teamId,
      userId: sessions.userId,
      role: memberships.role,
      expired: sql<boolean>`${sessions.expiresAt} <= now()`,
    })
    .from(sessions)
    .leftJoin(
      memberships,
      and(eq(memberships.teamId, sessions.teamId), eq(memberships.userId, sessions.userId)),
    )
    .where(eq(sessions.secretHash, hashSecret(secret)));
  if (!row || row.expired) throw unauthorized('your session has ended: sign in again');
  if (!row.role) throw unauthorized('you are no longer a member of this team: sign in again');
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(sessions.id, row.id), lt(sessions.lastSeenAt, sql`now() - interval '1 minute'`)));
  return {
    kind: 'team',
    credential: { kind: 'session', id: row.id },
    teamId: row.teamId,
    role: row.role,
    userId: row.userId,
  };
}

/** Why a session no longer stands as it did (ended, or the user's role changed), or undefined. */
export async function sessionChange(db: Db, id: string, role: string): Promise<string | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(sessions)
    .innerJoin(
      memberships,
      and(eq(memberships.teamId, sessions.teamId), eq(memberships.userId, sessions.userId)),
    )
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, sql`now()`)));
  if (!row) return 'the session has ended';
  if (row.role !== role) return `the role changed from ${role} to ${row.role}`;
  return undefined;
}

export async function endSession(db: Db, secret: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.secretHash, hashSecret(secret)));
}

export function sessionSecretOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}

/** httpOnly, SameSite=Lax, Path=/, and Secure when the request came over https. */
export function setSessionCookie(c: Context, secret: string): void {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isHttps(c),
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
  });
}

function isHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

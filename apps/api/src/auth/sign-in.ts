// The end of every way of signing in (sign-up, login, an invite, a login link): a new session
// for the user in the team, and the answer that tells the browser who it is and its CSRF token.
import type { AuthSession, Role } from '@curio/contracts';
import { and, asc, eq, type Db } from '@curio/db';
import { memberships, teams, users, type User } from '@curio/db/schema';
import type { Context } from 'hono';
import { presentTeam, presentUser } from '../presenters/accounts.js';
import { csrfTokenFor, setSessionCookie, startSession } from './browser-sessions.js';

export interface SignedIn {
  body: AuthSession;
  secret: string;
}

/** Starts the session in `db` (a transaction, when the sign-in changes more). */
export async function signIn(
  db: Db,
  input: { teamId: string; user: User; role: Role },
): Promise<SignedIn> {
  const [team] = await db.select().from(teams).where(eq(teams.id, input.teamId));
  const { secret } = await startSession(db, { teamId: input.teamId, userId: input.user.id });
  return {
    secret,
    body: {
      user: presentUser(input.user),
      team: presentTeam(team!),
      role: input.role,
      csrfToken: csrfTokenFor(secret),
    },
  };
}

/** Sets the cookie (once the session's transaction has committed) and gives the answer. */
export function withCookie(c: Context, signedIn: SignedIn): AuthSession {
  setSessionCookie(c, signedIn.secret);
  return signedIn.body;
}

/** The user's first team (its oldest membership), where a login lands. */
export async function firstMembership(db: Db, userId: string) {
  const [m] = await db
    .select({ teamId: memberships.teamId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.teamId))
    .limit(1);
  return m;
}

/** The user's role in the team, or undefined when it is not a member. */
export async function roleIn(db: Db, teamId: string, userId: string): Promise<Role | undefined> {
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
  return m?.role;
}

export async function userByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return user;
}

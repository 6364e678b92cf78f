// Signing in from a browser: sign up (a new user and team), log in, log out, and who the session
// is. Wrong email and wrong password get one identical 401, counted by the failed-authentication
// limit like a bad key.
import { AuthSession, LoginRequest, SignupRequest } from '@curio/contracts';
import { memberships, teams, users } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import {
  clearSessionCookie,
  csrfTokenFor,
  endSession,
  sessionSecretOf,
} from '../auth/browser-sessions.js';
import { teamCaller } from '../auth/caller.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { firstMembership, signIn, userByEmail, withCookie } from '../auth/sign-in.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, noBody, problems } from '../http/openapi.js';
import { conflict, unauthorized } from '../http/problem.js';
import { eq } from '@curio/db';
import { presentTeam, presentUser } from '../presenters/accounts.js';
import { freeSlug } from '../services/team-slug.js';

const tags = ['auth'];
const WRONG = 'wrong email or password';

const signup = createRoute({
  method: 'post',
  path: '/auth/signup',
  tags,
  summary: 'Create a user and a team it owns, and sign in (sets the session cookie)',
  security: [],
  request: { body: jsonBody(SignupRequest) },
  responses: {
    201: jsonResponse(AuthSession, 'Signed in; the session cookie is set'),
    ...problems(400, 409, 413, 415),
  },
});

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags,
  summary: "Sign in with email and password, into the user's first team (sets the session cookie)",
  security: [],
  request: { body: jsonBody(LoginRequest) },
  responses: {
    200: jsonResponse(AuthSession, 'Signed in; the session cookie is set'),
    ...problems(400, 401, 413, 415),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags,
  summary: 'End the session and clear its cookie',
  responses: { 204: { description: 'Signed out' }, ...problems(400, 401, 403) },
});

const current = createRoute({
  method: 'get',
  path: '/auth/session',
  tags,
  summary: 'Who the session cookie is signed in as, with its CSRF token',
  responses: {
    200: jsonResponse(AuthSession, 'The session'),
    ...problems(401, 403),
  },
});

export function authRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(signup, async (c) => {
      const input = c.req.valid('json');
      const email = input.email.toLowerCase();
      const passwordHash = await hashPassword(input.password);
      const signedIn = await db.transaction(async (tx) => {
        if (await userByEmail(tx, email))
          throw conflict('email-in-use', `an account with ${email} exists: log in instead`);
        const [team] = await tx
          .insert(teams)
          .values({ name: input.teamName, slug: await freeSlug(tx, input.teamName) })
          .returning();
        const [user] = await tx
          .insert(users)
          .values({ email, name: input.name ?? null, passwordHash })
          .returning();
        await tx.insert(memberships).values({ teamId: team!.id, userId: user!.id, role: 'owner' });
        return signIn(tx, { teamId: team!.id, user: user!, role: 'owner' });
      });
      return c.json(withCookie(c, signedIn), 201);
    })
    .openapi(login, async (c) => {
      const { email, password } = c.req.valid('json');
      const user = await userByEmail(db, email);
      // A missing user costs the same scrypt as a wrong password, and answers the same.
      if (!(await verifyPassword(password, user?.passwordHash ?? null)) || !user)
        throw unauthorized(WRONG);
      const membership = await firstMembership(db, user.id);
      if (!membership) throw unauthorized(WRONG);
      const signedIn = await signIn(db, { teamId: membership.teamId, user, role: membership.role });
      return c.json(withCookie(c, signedIn), 200);
    })
    .openapi(logout, async (c) => {
      teamCaller(c);
      await noBody(c);
      const secret = sessionSecretOf(c);
      if (secret) await endSession(db, secret);
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .openapi(current, async (c) => {
      const caller = teamCaller(c);
      const secret = sessionSecretOf(c);
      if (caller.credential.kind !== 'session' || !secret)
        throw unauthorized('not signed in: this request was made with an API key');
      const [team] = await db.select().from(teams).where(eq(teams.id, caller.teamId));
      const [user] = await db.select().from(users).where(eq(users.id, caller.userId!));
      return c.json(
        {
          user: presentUser(user!),
          team: presentTeam(team!),
          role: caller.role,
          csrfToken: csrfTokenFor(secret),
        },
        200,
      );
    });
}

// One-time login links (`/login/<token>`): an owner, or the operator with the admin token, makes
// one for a team's owner; opening it signs the browser in once. `curio demo` prints one.
import { AuthSession, LoginLink, LoginLinkCreate, TokenParam } from '@curio/contracts';
import { and, asc, eq, gt, isNull, sql, type Db } from '@curio/db';
import { loginLinks, memberships, teams, users } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { isAdminToken } from '../auth/admin.js';
import { roleAtLeast, teamCaller } from '../auth/caller.js';
import { hashSecret, randomToken } from '../auth/secrets.js';
import { roleIn, signIn, withCookie } from '../auth/sign-in.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, noBody, problems } from '../http/openapi.js';
import { badRequest, forbidden, gone, notFound } from '../http/problem.js';
import { bearerSecret, callerOf } from '../middleware/authenticate.js';
import { iso } from '../presenters/time.js';

const tags = ['auth'];
export const LOGIN_LINK_TTL_MS = 60 * 60 * 1000;

const createLink = createRoute({
  method: 'post',
  path: '/auth/login-links',
  tags,
  summary: "A one-time login link for the team's owner (an owner, or the admin token with teamId)",
  security: [{ apiKey: [] }, { session: [] }, { adminToken: [] }] as const,
  request: { body: jsonBody(LoginLinkCreate) },
  responses: {
    201: jsonResponse(LoginLink, 'The link (/login/<token>); its token is in this answer only'),
    ...problems(400, 401, 403, 404, 413, 415),
  },
});

const redeemLink = createRoute({
  method: 'post',
  path: '/auth/login-links/{token}/redeem',
  tags,
  summary: 'Sign in with a login link (once, before it expires)',
  security: [],
  request: { params: TokenParam },
  responses: {
    200: jsonResponse(AuthSession, 'Signed in; the session cookie is set'),
    ...problems(400, 404, 410),
  },
});

export function loginLinkRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createLink, async (c) => {
      const { teamId: named } = c.req.valid('json');
      const { teamId, userId } = await linkTarget(c, ctx, named);
      const token = randomToken();
      const [link] = await db
        .insert(loginLinks)
        .values({
          teamId,
          userId,
          tokenHash: hashSecret(token),
          expiresAt: new Date(ctx.now().getTime() + LOGIN_LINK_TTL_MS),
        })
        .returning();
      return c.json({ url: `/login/${token}`, token, expiresAt: iso(link!.expiresAt) }, 201);
    })
    .openapi(redeemLink, async (c) => {
      const { token } = c.req.valid('param');
      await noBody(c);
      const signedIn = await db.transaction(async (tx) => {
        const [link] = await tx
          .update(loginLinks)
          .set({ usedAt: sql`now()` })
          .where(
            and(
              eq(loginLinks.tokenHash, hashSecret(token)),
              isNull(loginLinks.usedAt),
              gt(loginLinks.expiresAt, ctx.now()),
            ),
          )
          .returning();
        if (!link) throw await refusal(tx, token);
        const role = await roleIn(tx, link.teamId, link.userId);
        if (!role) throw gone('login-link-expired', 'this login link is no longer good');
        const [user] = await tx.select().from(users).where(eq(users.id, link.userId));
        return signIn(tx, { teamId: link.teamId, user: user!, role });
      });
      return c.json(withCookie(c, signedIn), 200);
    });
}

/** Whose link: the admin token names the team; an owner gets one for itself in its own team. */
async function linkTarget(c: Context, ctx: AppContext, named: string | undefined) {
  const secret = bearerSecret(c.req.header('authorization'));
  if (secret !== undefined && isAdminToken(ctx.adminToken, secret)) {
    if (!named) throw badRequest('invalid-request', 'with the admin token, name the teamId');
    const [team] = await ctx.db.select().from(teams).where(eq(teams.id, named));
    if (!team) throw notFound('team', named);
    const userId = await oldestOwner(ctx.db, team.id);
    if (!userId) throw notFound('owner of team', named);
    return { teamId: team.id, userId };
  }
  c.set('caller', await callerOf(c, ctx.db));
  const caller = teamCaller(c);
  if (!roleAtLeast(caller.role, 'owner'))
    throw forbidden(`only an owner may make a login link; this caller is a ${caller.role}`);
  if (named !== undefined && named !== caller.teamId) throw notFound('team', named);
  const userId = caller.userId ?? (await oldestOwner(ctx.db, caller.teamId));
  if (!userId) throw notFound('owner of team', caller.teamId);
  return { teamId: caller.teamId, userId };
}

async function oldestOwner(db: Db, teamId: string): Promise<string | undefined> {
  const [owner] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.teamId, teamId), eq(memberships.role, 'owner')))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return owner?.userId;
}

/** 410 for a link that was good once (used or expired), 404 for one that never was. */
async function refusal(db: Db, token: string) {
  const [link] = await db
    .select({ usedAt: loginLinks.usedAt })
    .from(loginLinks)
    .where(eq(loginLinks.tokenHash, hashSecret(token)));
  if (!link) return notFound('login link', '(this link)');
  return link.usedAt
    ? gone('login-link-used', 'this login link has been used already')
    : gone('login-link-expired', 'this login link has expired');
}

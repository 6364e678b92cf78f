// Team invites: an owner makes a link with a single-use token and a role; whoever opens it before
// it expires signs up (or, with the password of an existing account, signs in) and joins the team.
import {
  AuthSession,
  Invite,
  InviteAccept,
  InviteCreate,
  InviteCreated,
  PageQuery,
  TokenParam,
  pageOf,
} from '@curio/contracts';
import { and, desc, eq, gt, isNull, lt, sql } from '@curio/db';
import { memberships, teamInvites, users } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { roleAtLeast, teamCaller } from '../auth/caller.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { hashSecret, randomToken } from '../auth/secrets.js';
import { signIn, userByEmail, withCookie } from '../auth/sign-in.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { conflict, forbidden, gone, notFound, unauthorized } from '../http/problem.js';
import { presentInvite } from '../presenters/auth.js';
import { iso } from '../presenters/time.js';

const tags = ['invites'];
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

const createInvite = createRoute({
  method: 'post',
  path: '/invites',
  tags,
  summary: 'Invite someone to the team with a role (owner only); the token is in this answer only',
  request: { body: jsonBody(InviteCreate) },
  responses: {
    201: jsonResponse(InviteCreated, 'The invite, its token and its link (/invite/<token>)'),
    ...problems(400, 401, 403, 413, 415),
  },
});

const listInvites = createRoute({
  method: 'get',
  path: '/invites',
  tags,
  summary: "List the team's invites, newest first (no tokens)",
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(Invite), 'A page of invites'),
    ...problems(400, 401, 403),
  },
});

const acceptInvite = createRoute({
  method: 'post',
  path: '/invites/{token}/accept',
  tags,
  summary: "Accept an invite: a new account (or an existing one's password), joins, signs in",
  security: [],
  request: { params: TokenParam, body: jsonBody(InviteAccept) },
  responses: {
    200: jsonResponse(AuthSession, 'Signed in to the team; the session cookie is set'),
    ...problems(400, 401, 403, 404, 409, 410, 413, 415),
  },
});

export function inviteRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createInvite, async (c) => {
      const caller = teamCaller(c);
      if (!roleAtLeast(caller.role, 'owner'))
        throw forbidden(`only an owner may invite; this caller is a ${caller.role}`);
      const { role, email } = c.req.valid('json');
      const token = randomToken();
      const [invite] = await db
        .insert(teamInvites)
        .values({
          teamId: caller.teamId,
          role,
          email: email?.toLowerCase() ?? null,
          tokenHash: hashSecret(token),
          createdBy: caller.userId,
          expiresAt: new Date(ctx.now().getTime() + INVITE_TTL_MS),
        })
        .returning();
      return c.json(
        { id: invite!.id, role, url: `/invite/${token}`, token, expiresAt: iso(invite!.expiresAt) },
        201,
      );
    })
    .openapi(listInvites, async (c) => {
      const caller = teamCaller(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(teamInvites)
        .where(
          and(
            eq(teamInvites.teamId, caller.teamId),
            after === undefined ? undefined : lt(teamInvites.id, after),
          ),
        )
        .orderBy(desc(teamInvites.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (i) => i.id, presentInvite),
        200,
      );
    })
    .openapi(acceptInvite, async (c) => {
      const { token } = c.req.valid('param');
      const input = c.req.valid('json');
      const email = input.email.toLowerCase();
      const tokenHash = hashSecret(token);
      const [invite] = await db
        .select()
        .from(teamInvites)
        .where(eq(teamInvites.tokenHash, tokenHash));
      if (!invite) throw notFound('invite', '(this link)');
      if (invite.usedAt) throw gone('invite-used', 'this invite has been used already');
      if (invite.expiresAt <= ctx.now()) throw gone('invite-expired', 'this invite has expired');
      if (invite.email && invite.email !== email)
        throw forbidden('this invite is for another email address');
      const existing = await userByEmail(db, email);
      if (existing && !(await verifyPassword(input.password, existing.passwordHash)))
        throw unauthorized('wrong email or password');
      const passwordHash = existing ? null : await hashPassword(input.password);

      const signedIn = await db.transaction(async (tx) => {
        const user =
          existing ??
          (
            await tx
              .insert(users)
              .values({ email, name: input.name ?? null, passwordHash })
              .returning()
          )[0]!;
        // Single use: only the first accept to get here marks it; the others find it used.
        const [claimed] = await tx
          .update(teamInvites)
          .set({ usedAt: sql`now()`, usedBy: user.id })
          .where(
            and(
              eq(teamInvites.id, invite.id),
              isNull(teamInvites.usedAt),
              gt(teamInvites.expiresAt, ctx.now()),
            ),
          )
          .returning();
        if (!claimed) throw gone('invite-used', 'this invite has been used already');
        const [joined] = await tx
          .insert(memberships)
          .values({ teamId: invite.teamId, userId: user.id, role: invite.role })
          .onConflictDoNothing()
          .returning();
        if (!joined) throw conflict('already-a-member', `${email} is in this team already`);
        return signIn(tx, { teamId: invite.teamId, user, role: invite.role });
      });
      return c.json(withCookie(c, signedIn), 200);
    });
}

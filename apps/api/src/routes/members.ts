// The team's members: listed for anyone in the team; an owner changes a member's role or removes a
// member. The team always keeps an owner: demoting or removing the last one is a 409, decided under
// a lock on the team's owner rows so two owners demoting each other at once cannot both succeed.
// A removed member's sessions in the team end at once. Another team's member reads as a missing one.
import { IdParam, Member, MemberList, MemberUpdate, type Role } from '@curio/contracts';
import { and, asc, eq, type Db, type Tx } from '@curio/db';
import { memberships, sessions, users } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { roleAtLeast, teamCaller, type TeamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { conflict, forbidden, notFound } from '../http/problem.js';
import { iso } from '../presenters/time.js';

const tags = ['teams'];
const MemberParam = IdParam.describe("The member's user id");

const listMembers = createRoute({
  method: 'get',
  path: '/teams/current/members',
  tags,
  summary: "The team's members with their roles, owners first, then by when they joined",
  responses: { 200: jsonResponse(MemberList, 'The members'), ...problems(401, 403) },
});

const updateMember = createRoute({
  method: 'patch',
  path: '/teams/current/members/{id}',
  tags,
  summary: "Change a member's role (owner only; never the last owner's)",
  request: { params: MemberParam, body: jsonBody(MemberUpdate) },
  responses: {
    200: jsonResponse(Member, 'The member with the new role'),
    ...problems(400, 401, 403, 404, 409, 413, 415),
  },
});

const removeMember = createRoute({
  method: 'delete',
  path: '/teams/current/members/{id}',
  tags,
  summary: 'Remove a member from the team (owner only; never the last owner); their sessions end',
  request: { params: MemberParam },
  responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404, 409) },
});

const ROLE_ORDER: Record<Role, number> = { owner: 0, member: 1, viewer: 2 };

async function membersOf(db: Db, teamId: string, userId?: string): Promise<Member[]> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.teamId, teamId),
        userId === undefined ? undefined : eq(memberships.userId, userId),
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(users.id));
  return rows
    .map((r) => ({ ...r, joinedAt: iso(r.joinedAt)! }))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

function ownerOnly(caller: TeamCaller, what: string): void {
  if (!roleAtLeast(caller.role, 'owner'))
    throw forbidden(`only an owner may ${what}; this caller is a ${caller.role}`);
}

/**
 * Run `change` on the member `userId` unless it would leave the team with no owner: the team's
 * owner rows are locked first, so concurrent changes see each other.
 */
async function changeKeepingAnOwner(
  db: Db,
  teamId: string,
  userId: string,
  willStayOwner: boolean,
  change: (tx: Tx) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const owners = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.teamId, teamId), eq(memberships.role, 'owner')))
      .for('update');
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));
    if (!member) throw notFound('member', userId);
    if (member.role === 'owner' && !willStayOwner && owners.length <= 1)
      throw conflict(
        'last-owner',
        `${userId} is the team's only owner: make another member an owner first`,
      );
    await change(tx);
  });
}

export function memberRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(listMembers, async (c) => {
      const { teamId } = teamCaller(c);
      return c.json({ items: await membersOf(db, teamId) }, 200);
    })
    .openapi(updateMember, async (c) => {
      const caller = teamCaller(c);
      ownerOnly(caller, "change a member's role");
      const { id } = c.req.valid('param');
      const { role } = c.req.valid('json');
      await changeKeepingAnOwner(db, caller.teamId, id, role === 'owner', async (tx) => {
        await tx
          .update(memberships)
          .set({ role })
          .where(and(eq(memberships.teamId, caller.teamId), eq(memberships.userId, id)));
      });
      const [member] = await membersOf(db, caller.teamId, id);
      if (!member) throw notFound('member', id);
      return c.json(member, 200);
    })
    .openapi(removeMember, async (c) => {
      const caller = teamCaller(c);
      ownerOnly(caller, 'remove a member');
      const { id } = c.req.valid('param');
      await changeKeepingAnOwner(db, caller.teamId, id, false, async (tx) => {
        await tx
          .delete(memberships)
          .where(and(eq(memberships.teamId, caller.teamId), eq(memberships.userId, id)));
        await tx
          .delete(sessions)
          .where(and(eq(sessions.teamId, caller.teamId), eq(sessions.userId, id)));
      });
      return c.body(null, 204);
    });
}

// Data grants: where a team's data may live. The operator grants a team server directories, URL
// prefixes (which may reach an internal host) and object-storage prefixes with the admin token;
// a team reads its own grants. Every pool, appended shard and eval set location is checked
// against them (services/data-access.ts), at the API and again in the worker.
import { DataGrant, DataGrantCreate, IdParam, TeamParam, pageOf } from '@curio/contracts';
import { and, asc, eq } from '@curio/db';
import { dataGrants, teams } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { requireAdmin } from '../auth/admin.js';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, noBody, problems } from '../http/openapi.js';
import { conflict, notFound } from '../http/problem.js';
import { presentGrant } from '../presenters/grants.js';
import { grantLocation } from '../services/grant-locations.js';

const tags = ['data grants'];
const admin = [{ adminToken: [] }];
const GrantList = pageOf(DataGrant);

const addGrant = createRoute({
  method: 'post',
  path: '/admin/teams/{teamId}/grants',
  tags,
  security: admin,
  summary: 'Grant a team a server directory, a URL prefix or an object-storage prefix (admin)',
  request: { params: TeamParam, body: jsonBody(DataGrantCreate) },
  responses: {
    201: jsonResponse(DataGrant, 'The grant (a directory as its real path)'),
    ...problems(400, 401, 404, 409, 413, 415, 422),
  },
});

const listTeamGrants = createRoute({
  method: 'get',
  path: '/admin/teams/{teamId}/grants',
  tags,
  security: admin,
  summary: "A team's grants (admin)",
  request: { params: TeamParam },
  responses: { 200: jsonResponse(GrantList, 'All its grants'), ...problems(401, 404) },
});

const removeGrant = createRoute({
  method: 'delete',
  path: '/admin/teams/{teamId}/grants/{id}',
  tags,
  security: admin,
  summary: 'Take a grant back (admin); pools already made keep their rows, runs re-check',
  request: { params: TeamParam.extend(IdParam.shape) },
  responses: { 204: { description: 'Removed' }, ...problems(401, 404) },
});

const listOwnGrants = createRoute({
  method: 'get',
  path: '/grants',
  tags,
  summary: "The caller's team's grants (its uploads need none: see /v1/uploads)",
  responses: { 200: jsonResponse(GrantList, 'All its grants'), ...problems(401, 403) },
});

export function grantRoutes(ctx: AppContext) {
  const { db } = ctx;
  const teamGrants = async (teamId: string) =>
    (
      await db
        .select()
        .from(dataGrants)
        .where(eq(dataGrants.teamId, teamId))
        .orderBy(asc(dataGrants.id))
    ).map(presentGrant);
  const findTeam = async (teamId: string) => {
    const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
    if (!team) throw notFound('team', teamId);
  };
  return createRouter()
    .openapi(addGrant, async (c) => {
      requireAdmin(ctx.adminToken, c);
      const { teamId } = c.req.valid('param');
      const { kind, location } = c.req.valid('json');
      await findTeam(teamId);
      const stored = await grantLocation(kind, location, ctx.storeDirs);
      const [row] = await db
        .insert(dataGrants)
        .values({ teamId, kind, location: stored })
        .onConflictDoNothing()
        .returning();
      if (!row) throw conflict('already-exists', `team ${teamId} has the ${kind} grant ${stored}`);
      return c.json(presentGrant(row), 201);
    })
    .openapi(listTeamGrants, async (c) => {
      requireAdmin(ctx.adminToken, c);
      const { teamId } = c.req.valid('param');
      await findTeam(teamId);
      return c.json({ items: await teamGrants(teamId), nextCursor: null }, 200);
    })
    .openapi(removeGrant, async (c) => {
      requireAdmin(ctx.adminToken, c);
      await noBody(c);
      const { teamId, id } = c.req.valid('param');
      const [gone] = await db
        .delete(dataGrants)
        .where(and(eq(dataGrants.teamId, teamId), eq(dataGrants.id, id)))
        .returning({ id: dataGrants.id });
      if (!gone) throw notFound('grant', id);
      return c.body(null, 204);
    })
    .openapi(listOwnGrants, async (c) => {
      const { teamId } = teamCaller(c);
      return c.json({ items: await teamGrants(teamId), nextCursor: null }, 200);
    });
}

// GET /v1/teams/current: the caller's team, role, key (none for a browser session) and user.
import { CurrentTeam } from '@curio/contracts';
import { eq } from '@curio/db';
import { teams, users } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonResponse, problems } from '../http/openapi.js';
import { notFound } from '../http/problem.js';
import { presentTeam, presentUser } from '../presenters/accounts.js';

const current = createRoute({
  method: 'get',
  path: '/teams/current',
  tags: ['teams'],
  summary: 'The team the key acts in, with its role',
  responses: { 200: jsonResponse(CurrentTeam, 'The current team'), ...problems(401, 403) },
});

export function teamRoutes(ctx: AppContext) {
  return createRouter().openapi(current, async (c) => {
    const caller = teamCaller(c);
    const { credential } = caller;
    const [team] = await ctx.db.select().from(teams).where(eq(teams.id, caller.teamId));
    if (!team) throw notFound('team', caller.teamId);
    const [user] = caller.userId
      ? await ctx.db.select().from(users).where(eq(users.id, caller.userId))
      : [];
    return c.json(
      {
        team: presentTeam(team),
        role: caller.role,
        key:
          credential.kind === 'key'
            ? { id: credential.id, name: credential.name, prefix: credential.prefix }
            : null,
        user: user ? presentUser(user) : null,
      },
      200,
    );
  });
}

// POST /v1/bootstrap: the first team, its owner and an owner API key on a fresh server. Open to
// anyone while no team exists; afterwards only with `Authorization: Bearer <CURIO_ADMIN_TOKEN>`.
import { BootstrapRequest, BootstrapResponse } from '@curio/contracts';
import { count, eq, sql } from '@curio/db';
import { memberships, teams, users } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { isAdminToken } from '../auth/admin.js';
import { issueTeamKey } from '../auth/issue-key.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { forbidden, unauthorized } from '../http/problem.js';
import { bearerSecret } from '../middleware/authenticate.js';
import { presentTeam, presentUser } from '../presenters/accounts.js';
import { slugify } from '../services/team-slug.js';

/** Arbitrary constant naming the bootstrap lock (two first calls at once make one team). */
const BOOTSTRAP_LOCK = 7_265_313_002;

const bootstrap = createRoute({
  method: 'post',
  path: '/bootstrap',
  tags: ['bootstrap'],
  summary: 'Create a team, its owner and an owner key (first team, or with the admin token)',
  security: [],
  request: { body: jsonBody(BootstrapRequest) },
  responses: {
    201: jsonResponse(
      BootstrapResponse,
      'The team, the user, and the key with its secret (shown once)',
    ),
    ...problems(400, 401, 403, 409, 413, 415),
  },
});

export function bootstrapRoutes(ctx: AppContext) {
  return createRouter().openapi(bootstrap, async (c) => {
    const input = c.req.valid('json');
    const secret = bearerSecret(c.req.header('authorization'));
    const admin = secret !== undefined && isAdminToken(ctx.adminToken, secret);
    if (secret !== undefined && !admin) throw unauthorized('that is not the admin token');

    const slug = input.teamSlug ?? slugify(input.teamName);
    const result = await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
      const [existing] = await tx.select({ n: count() }).from(teams);
      if (!admin && (existing?.n ?? 0) > 0)
        throw forbidden(
          'bootstrap is closed: this server has a team already (ask its owner for a key, or call with the admin token)',
        );
      const [team] = await tx.insert(teams).values({ name: input.teamName, slug }).returning();
      const email = input.email.toLowerCase();
      const [found] = await tx.select().from(users).where(eq(users.email, email));
      const user =
        found ??
        (
          await tx
            .insert(users)
            .values({ email, name: input.userName ?? null })
            .returning()
        )[0]!;
      await tx.insert(memberships).values({ teamId: team!.id, userId: user.id, role: 'owner' });
      const { key, secret: keySecret } = await issueTeamKey(tx, {
        teamId: team!.id,
        name: input.keyName,
        role: 'owner',
        userId: user.id,
      });
      return { team: team!, user, key, keySecret };
    });
    return c.json(
      {
        team: presentTeam(result.team),
        user: presentUser(result.user),
        key: {
          id: result.key.id,
          name: result.key.name,
          prefix: result.key.prefix,
          role: result.key.role,
          createdAt: result.key.createdAt.toISOString(),
          lastUsedAt: null,
          revokedAt: null,
          secret: result.keySecret,
        },
      },
      201,
    );
  });
}

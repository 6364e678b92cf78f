// API keys of the caller's team: create (the secret is shown once), list, revoke.
import { ApiKey, ApiKeyCreate, ApiKeyCreated, IdParam, PageQuery, pageOf } from '@curio/contracts';
import { and, desc, eq, lt, sql } from '@curio/db';
import { apiKeys } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { roleAtLeast, teamCaller } from '../auth/caller.js';
import { issueTeamKey } from '../auth/issue-key.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, noBody, problems } from '../http/openapi.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { forbidden, notFound } from '../http/problem.js';
import { presentKey } from '../presenters/accounts.js';

const createKey = createRoute({
  method: 'post',
  path: '/keys',
  tags: ['keys'],
  summary: 'Create an API key; its secret is in this answer only',
  request: { body: jsonBody(ApiKeyCreate) },
  responses: {
    201: jsonResponse(ApiKeyCreated, 'The key with its secret'),
    ...problems(400, 401, 403, 413, 415),
  },
});

const listKeys = createRoute({
  method: 'get',
  path: '/keys',
  tags: ['keys'],
  summary: "List the team's API keys (prefix, name, role, created, last used, revoked)",
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(ApiKey), 'A page of keys, newest first'),
    ...problems(400, 401, 403),
  },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/keys/{id}',
  tags: ['keys'],
  summary: 'Revoke an API key (at once; revoking twice is a no-op)',
  request: { params: IdParam },
  responses: { 200: jsonResponse(ApiKey, 'The revoked key'), ...problems(401, 403, 404) },
});

export function keyRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createKey, async (c) => {
      const caller = teamCaller(c);
      const body = c.req.valid('json');
      const role = body.role ?? (caller.role === 'viewer' ? 'viewer' : 'member');
      if (!roleAtLeast(caller.role, role))
        throw forbidden(`a ${caller.role} key cannot create a key with the ${role} role`);
      const { key, secret } = await issueTeamKey(db, {
        teamId: caller.teamId,
        name: body.name,
        role,
        userId: caller.userId,
      });
      return c.json({ ...presentKey(key), secret }, 201);
    })
    .openapi(listKeys, async (c) => {
      const caller = teamCaller(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.teamId, caller.teamId),
            eq(apiKeys.kind, 'team'),
            after === undefined ? undefined : lt(apiKeys.id, after),
          ),
        )
        .orderBy(desc(apiKeys.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (k) => k.id, presentKey),
        200,
      );
    })
    .openapi(revokeKey, async (c) => {
      const caller = teamCaller(c);
      await noBody(c);
      const { id } = c.req.valid('param');
      const mine = and(
        eq(apiKeys.id, id),
        eq(apiKeys.teamId, caller.teamId),
        eq(apiKeys.kind, 'team'),
      );
      const [key] = await db.select().from(apiKeys).where(mine);
      if (!key) throw notFound('API key', id);
      if (!roleAtLeast(caller.role, key.role))
        throw forbidden(`a ${caller.role} key cannot revoke a key with the ${key.role} role`);
      const [revoked] = await db
        .update(apiKeys)
        .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
        .where(mine)
        .returning();
      return c.json(presentKey(revoked!), 200);
    });
}

// Pools of web data: created with shard locations, appended to as new data arrives. Every location
// must lie inside the team's grants and every shard is counted on the way in; a location it may not
// read or an unreadable shard refuses the request (422, naming it) and stores nothing.
import {
  IdParam,
  PageQuery,
  Pool,
  PoolCreate,
  PoolShard,
  PoolWithShards,
  ShardsAppend,
  pageOf,
} from '@curio/contracts';
import { and, asc, desc, eq, gt, inArray, lt, sql, type Db } from '@curio/db';
import { poolShards, pools, type Pool as PoolRow } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { conflict, notFound } from '../http/problem.js';
import { presentPool, presentShard } from '../presenters/catalog.js';
import { teamDataAccess } from '../services/data-access.js';
import { expandObjectLocations, withObjectUrls } from '../services/object-shards.js';
import { countShards } from '../services/shard-count.js';

const tags = ['pools'];

const createPool = createRoute({
  method: 'post',
  path: '/pools',
  tags,
  summary: 'Create a pool from shard locations (each shard is read and counted)',
  request: { body: jsonBody(PoolCreate) },
  responses: {
    201: jsonResponse(PoolWithShards, 'The pool and its counted shards'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const listPools = createRoute({
  method: 'get',
  path: '/pools',
  tags,
  summary: 'List pools with their shard and sample counts',
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(Pool), 'A page of pools, newest first'),
    ...problems(400, 401, 403),
  },
});

const getPool = createRoute({
  method: 'get',
  path: '/pools/{id}',
  tags,
  summary: 'Show a pool',
  request: { params: IdParam },
  responses: { 200: jsonResponse(Pool, 'The pool'), ...problems(401, 403, 404) },
});

const listShards = createRoute({
  method: 'get',
  path: '/pools/{id}/shards',
  tags,
  summary: "List a pool's shards in the order they were added",
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(PoolShard), 'A page of shards'),
    ...problems(400, 401, 403, 404),
  },
});

const appendShards = createRoute({
  method: 'post',
  path: '/pools/{id}/shards',
  tags,
  summary: 'Append shards to a pool (new web data)',
  request: { params: IdParam, body: jsonBody(ShardsAppend) },
  responses: {
    201: jsonResponse(PoolWithShards, 'The pool and the shards just added'),
    ...problems(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export function poolRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createPool, async (c) => {
      const { teamId } = teamCaller(c);
      const body = c.req.valid('json');
      const [taken] = await db
        .select({ id: pools.id })
        .from(pools)
        .where(and(eq(pools.teamId, teamId), eq(pools.name, body.name)));
      if (taken)
        throw conflict(
          'already-exists',
          `a pool named "${body.name}" already exists (${taken.id})`,
        );
      const counted = await countTeamShards(ctx, teamId, body.shards);
      const { pool, added } = await db.transaction(async (tx) => {
        const [pool] = await tx
          .insert(pools)
          .values({ teamId, name: body.name, description: body.description ?? null })
          .returning();
        const added = await tx
          .insert(poolShards)
          .values(counted.map((s) => ({ teamId, poolId: pool!.id, ...s })))
          .returning();
        return { pool: pool!, added };
      });
      return c.json({ ...(await withTotals(db, pool)), added: added.map(presentShard) }, 201);
    })
    .openapi(listPools, async (c) => {
      const { teamId } = teamCaller(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const rows = await db
        .select({ pool: pools, ...totalsColumns })
        .from(pools)
        .leftJoin(poolShards, eq(poolShards.poolId, pools.id))
        .where(and(eq(pools.teamId, teamId), after === undefined ? undefined : lt(pools.id, after)))
        .groupBy(pools.id)
        .orderBy(desc(pools.id))
        .limit(limit + 1);
      return c.json(
        toPage(
          rows,
          limit,
          (r) => r.pool.id,
          (r) => presentPool(r.pool, totalsOf(r)),
        ),
        200,
      );
    })
    .openapi(getPool, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      return c.json(await withTotals(db, await findPool(db, teamId, id)), 200);
    })
    .openapi(listShards, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      await findPool(db, teamId, id);
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(poolShards)
        .where(
          and(
            eq(poolShards.teamId, teamId),
            eq(poolShards.poolId, id),
            after === undefined ? undefined : gt(poolShards.id, after),
          ),
        )
        .orderBy(asc(poolShards.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (s) => s.id, presentShard),
        200,
      );
    })
    .openapi(appendShards, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const pool = await findPool(db, teamId, id);
      const counted = await countTeamShards(ctx, teamId, c.req.valid('json').shards);
      const added = await db.transaction(async (tx) => {
        const present = await tx
          .select({ uri: poolShards.uri })
          .from(poolShards)
          .where(
            and(
              eq(poolShards.poolId, id),
              inArray(
                poolShards.uri,
                counted.map((s) => s.uri),
              ),
            ),
          );
        if (present.length)
          throw conflict(
            'shard-already-in-pool',
            `nothing was stored: already in pool ${pool.name}: ${present.map((p) => p.uri).join(', ')}`,
          );
        return tx
          .insert(poolShards)
          .values(counted.map((s) => ({ teamId, poolId: id, ...s })))
          .returning();
      });
      return c.json({ ...(await withTotals(db, pool)), added: added.map(presentShard) }, 201);
    });
}

const totalsColumns = {
  shardCount: sql<number>`count(${poolShards.id})::int`,
  sampleCount: sql<number>`coalesce(sum(${poolShards.sampleCount}), 0)::float8`,
};

function totalsOf(r: { shardCount: number; sampleCount: number }) {
  return { shardCount: Number(r.shardCount), sampleCount: Number(r.sampleCount) };
}

async function findPool(db: Db, teamId: string, id: string): Promise<PoolRow> {
  const [pool] = await db
    .select()
    .from(pools)
    .where(and(eq(pools.teamId, teamId), eq(pools.id, id)));
  if (!pool) throw notFound('pool', id);
  return pool;
}

async function withTotals(db: Db, pool: PoolRow): Promise<Pool> {
  const [totals] = await db
    .select(totalsColumns)
    .from(poolShards)
    .where(eq(poolShards.poolId, pool.id));
  return presentPool(pool, totalsOf(totals ?? { shardCount: 0, sampleCount: 0 }));
}

/** The locations resolved and counted inside the team's grants (`s3://` ones listed and signed). */
async function countTeamShards(ctx: AppContext, teamId: string, locations: readonly string[]) {
  const access = await teamDataAccess(ctx, ctx.db, teamId);
  const expanded = await expandObjectLocations(ctx, locations, access);
  return countShards(expanded, await withObjectUrls(ctx, expanded, access));
}

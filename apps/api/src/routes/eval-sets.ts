// Eval sets: a clip_benchmark folder (classnames.txt, zeroshot_classification_templates.txt,
// test/*.tar), local or `s3://bucket/prefix` (or a glob over its test shards), inside the team's
// grants. The folder is checked when the set is added; a missing
// file is a 422 naming it, a folder the team may not read reads the same as a missing one. Its
// classes and their test samples are counted then.
import {
  EvalSet,
  EvalSetCreate,
  IdParam,
  PageQuery,
  pageOf,
  type DataAccess,
} from '@curio/contracts';
import { and, desc, eq, lt } from '@curio/db';
import { evalSets } from '@curio/db/schema';
import {
  isLocationUnavailable,
  localPathOf,
  LocationUnavailableError,
  readEvalSet,
  withDataAccess,
} from '@curio/webdataset';
import { parseS3Location } from '@curio/blob-store';
import { createRoute } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { ApiError, conflict, notFound, unprocessable } from '../http/problem.js';
import { presentEvalSet } from '../presenters/catalog.js';
import { teamDataAccess } from '../services/data-access.js';
import { evalSetObjects } from '../services/object-eval-sets.js';
import { withObjectUrls } from '../services/object-shards.js';

const tags = ['eval sets'];

const createEvalSet = createRoute({
  method: 'post',
  path: '/eval-sets',
  tags,
  summary: 'Add an eval set (a clip_benchmark folder, checked now)',
  request: { body: jsonBody(EvalSetCreate) },
  responses: {
    201: jsonResponse(EvalSet, 'The eval set'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const listEvalSets = createRoute({
  method: 'get',
  path: '/eval-sets',
  tags,
  summary: 'List eval sets',
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(EvalSet), 'A page of eval sets, newest first'),
    ...problems(400, 401, 403),
  },
});

const getEvalSet = createRoute({
  method: 'get',
  path: '/eval-sets/{id}',
  tags,
  summary: 'Show an eval set',
  request: { params: IdParam },
  responses: { 200: jsonResponse(EvalSet, 'The eval set'), ...problems(401, 403, 404) },
});

export function evalSetRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createEvalSet, async (c) => {
      const { teamId } = teamCaller(c);
      const body = c.req.valid('json');
      const [taken] = await db
        .select({ id: evalSets.id })
        .from(evalSets)
        .where(and(eq(evalSets.teamId, teamId), eq(evalSets.name, body.name)));
      if (taken)
        throw conflict(
          'already-exists',
          `an eval set named "${body.name}" already exists (${taken.id})`,
        );
      const { location, classes } = await checkedLocation(
        ctx,
        body.location,
        await teamDataAccess(ctx, db, teamId),
      );
      const [row] = await db
        .insert(evalSets)
        .values({
          teamId,
          name: body.name,
          location,
          description: body.description ?? null,
          classes,
        })
        .returning();
      return c.json(presentEvalSet(row!), 201);
    })
    .openapi(listEvalSets, async (c) => {
      const { teamId } = teamCaller(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(evalSets)
        .where(
          and(
            eq(evalSets.teamId, teamId),
            after === undefined ? undefined : lt(evalSets.id, after),
          ),
        )
        .orderBy(desc(evalSets.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (e) => e.id, presentEvalSet),
        200,
      );
    })
    .openapi(getEvalSet, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const [row] = await db
        .select()
        .from(evalSets)
        .where(and(eq(evalSets.teamId, teamId), eq(evalSets.id, id)));
      if (!row) throw notFound('eval set', id);
      return c.json(presentEvalSet(row), 200);
    });
}

/**
 * Where the set is, once readEvalSet has found its files inside the team's grants (a local
 * folder's real path, or the `s3://` location as given, its parts listed and signed for the read),
 * and its classes with their usable test samples (one pass over the test shards, no image decoded).
 */
async function checkedLocation(
  ctx: AppContext,
  location: string,
  access: DataAccess,
): Promise<{ location: string; classes: { name: string; sampleCount: number }[] }> {
  const object = parseS3Location(location) !== undefined;
  const dir = object ? location : localPathOf(location);
  if (dir === undefined)
    throw unprocessable(
      'unreadable-eval-set',
      `eval set location ${location}: only local folders and s3://bucket/prefix locations are supported`,
      [{ path: 'location', message: 'a local folder (path or file:// URL) or s3://bucket/prefix' }],
    );
  try {
    const readAs = object
      ? await withObjectUrls(ctx, await evalSetObjects(ctx, location, access), access)
      : access;
    return await withDataAccess(readAs, async () => {
      const set = await readEvalSet(dir);
      const counts = set.classnames.map(() => 0);
      for await (const sample of set.samples) counts[sample.cls]! += 1;
      const classes = set.classnames.map((name, i) => ({ name, sampleCount: counts[i]! }));
      return { location: object ? location : set.dir, classes };
    });
  } catch (error) {
    if (error instanceof ApiError) throw error; // no object storage on this server
    const message =
      isLocationUnavailable(error) && error.location === dir
        ? new LocationUnavailableError(location, error.reason).message
        : (error as Error).message;
    throw unprocessable('unreadable-eval-set', `nothing was stored: ${message}`, [
      { path: 'location', message },
    ]);
  }
}

// Experiments: a named config (the run spec with its data given by id), validated by the shared
// ExperimentConfig schema; ids the team does not have are a 422 naming them.
import {
  Experiment,
  ExperimentCreate,
  IdParam,
  Lineage,
  PageQuery,
  pageOf,
} from '@curio/contracts';
import { and, desc, eq, lt } from '@curio/db';
import { experiments, type Experiment as ExperimentRow } from '@curio/db/schema';
import { createRoute } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { conflict, notFound } from '../http/problem.js';
import { iso } from '../presenters/time.js';
import { readLineage } from '../services/lineage.js';
import { checkReferences } from '../services/resolve-spec.js';

const tags = ['experiments'];

const createExperiment = createRoute({
  method: 'post',
  path: '/experiments',
  tags,
  summary: 'Create an experiment (config: the run spec with poolId, metadataSetId, evalSetIds)',
  request: { body: jsonBody(ExperimentCreate) },
  responses: {
    201: jsonResponse(Experiment, 'The experiment, its config with defaults filled in'),
    ...problems(400, 401, 403, 409, 413, 415, 422),
  },
});

const listExperiments = createRoute({
  method: 'get',
  path: '/experiments',
  tags,
  summary: 'List experiments',
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(Experiment), 'A page of experiments, newest first'),
    ...problems(400, 401, 403),
  },
});

const getExperiment = createRoute({
  method: 'get',
  path: '/experiments/{id}',
  tags,
  summary: 'Show an experiment',
  request: { params: IdParam },
  responses: { 200: jsonResponse(Experiment, 'The experiment'), ...problems(401, 403, 404) },
});

const getLineage = createRoute({
  method: 'get',
  path: '/experiments/{id}/lineage',
  tags,
  summary:
    "The experiment's checkpoint tree (each with its parent and best evaluation) and its growth steps with every candidate",
  request: { params: IdParam },
  responses: { 200: jsonResponse(Lineage, 'The lineage'), ...problems(401, 403, 404) },
});

export function experimentRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createExperiment, async (c) => {
      const { teamId } = teamCaller(c);
      const body = c.req.valid('json');
      const [taken] = await db
        .select({ id: experiments.id })
        .from(experiments)
        .where(and(eq(experiments.teamId, teamId), eq(experiments.name, body.name)));
      if (taken)
        throw conflict(
          'already-exists',
          `an experiment named "${body.name}" already exists (${taken.id})`,
        );
      await checkReferences(db, teamId, body.config);
      const [row] = await db
        .insert(experiments)
        .values({
          teamId,
          name: body.name,
          description: body.description ?? null,
          config: body.config,
        })
        .returning();
      return c.json(presentExperiment(row!), 201);
    })
    .openapi(listExperiments, async (c) => {
      const { teamId } = teamCaller(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const rows = await db
        .select()
        .from(experiments)
        .where(
          and(
            eq(experiments.teamId, teamId),
            after === undefined ? undefined : lt(experiments.id, after),
          ),
        )
        .orderBy(desc(experiments.id))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (e) => e.id, presentExperiment),
        200,
      );
    })
    .openapi(getExperiment, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const [row] = await db
        .select()
        .from(experiments)
        .where(and(eq(experiments.teamId, teamId), eq(experiments.id, id)));
      if (!row) throw notFound('experiment', id);
      return c.json(presentExperiment(row), 200);
    })
    .openapi(getLineage, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const [row] = await db
        .select({ id: experiments.id })
        .from(experiments)
        .where(and(eq(experiments.teamId, teamId), eq(experiments.id, id)));
      if (!row) throw notFound('experiment', id);
      return c.json(await readLineage(db, teamId, id), 200);
    });
}

function presentExperiment(e: ExperimentRow) {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    config: e.config as unknown as Record<string, unknown>,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

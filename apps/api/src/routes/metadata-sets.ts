// Metadata sets: what a team cares about (names, synonyms, templates), versioned. A change is a
// new version (n + 1); versions never change once written (the store refuses UPDATE on them).
import {
  IdParam,
  INT4_MAX,
  MetadataContent,
  MetadataSet,
  MetadataSetCreate,
  MetadataSetDetail,
  MetadataSetVersion,
  PageQuery,
  pageOf,
} from '@curio/contracts';
import { and, asc, desc, eq, gt, inArray, lt, max, type Db } from '@curio/db';
import {
  metadataSetVersions,
  metadataSets,
  type MetadataSet as SetRow,
  type MetadataSetVersion as VersionRow,
} from '@curio/db/schema';
import { createRoute, z } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { decodeNumericCursor, decodeCursor, toPage } from '../http/pagination.js';
import { conflict, notFound } from '../http/problem.js';
import { presentVersion } from '../presenters/catalog.js';
import { iso } from '../presenters/time.js';

const tags = ['metadata sets'];
const VersionParams = IdParam.extend({ version: z.coerce.number().int().min(1).max(INT4_MAX) });

const createSet = createRoute({
  method: 'post',
  path: '/metadata-sets',
  tags,
  summary: 'Create a metadata set (its version 1)',
  request: { body: jsonBody(MetadataSetCreate) },
  responses: {
    201: jsonResponse(MetadataSetDetail, 'The set with version 1'),
    ...problems(400, 401, 403, 409, 413, 415),
  },
});

const listSets = createRoute({
  method: 'get',
  path: '/metadata-sets',
  tags,
  summary: 'List metadata sets with their latest version',
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(MetadataSet), 'A page of sets, newest first'),
    ...problems(400, 401, 403),
  },
});

const getSet = createRoute({
  method: 'get',
  path: '/metadata-sets/{id}',
  tags,
  summary: 'Show a metadata set and its latest version',
  request: { params: IdParam },
  responses: { 200: jsonResponse(MetadataSetDetail, 'The set'), ...problems(401, 403, 404) },
});

const addVersion = createRoute({
  method: 'post',
  path: '/metadata-sets/{id}/versions',
  tags,
  summary: 'Add a version (n + 1); earlier versions stay as they were',
  request: { params: IdParam, body: jsonBody(MetadataContent) },
  responses: {
    201: jsonResponse(MetadataSetVersion, 'The new version'),
    ...problems(400, 401, 403, 404, 409, 413, 415),
  },
});

const listVersions = createRoute({
  method: 'get',
  path: '/metadata-sets/{id}/versions',
  tags,
  summary: "List a set's versions, oldest first",
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(MetadataSetVersion), 'A page of versions'),
    ...problems(400, 401, 403, 404),
  },
});

const getVersion = createRoute({
  method: 'get',
  path: '/metadata-sets/{id}/versions/{version}',
  tags,
  summary: 'Show one version',
  request: { params: VersionParams },
  responses: {
    200: jsonResponse(MetadataSetVersion, 'The version'),
    ...problems(400, 401, 403, 404),
  },
});

export function metadataSetRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter()
    .openapi(createSet, async (c) => {
      const { teamId } = teamCaller(c);
      const { name, description, ...content } = c.req.valid('json');
      const [taken] = await db
        .select({ id: metadataSets.id })
        .from(metadataSets)
        .where(and(eq(metadataSets.teamId, teamId), eq(metadataSets.name, name)));
      if (taken)
        throw conflict(
          'already-exists',
          `a metadata set named "${name}" already exists (${taken.id})`,
        );
      const { set, version } = await db.transaction(async (tx) => {
        const [set] = await tx
          .insert(metadataSets)
          .values({ teamId, name, description: description ?? null })
          .returning();
        const version = await insertVersion(tx, set!, 1, content);
        return { set: set!, version };
      });
      return c.json(presentDetail(set, version), 201);
    })
    .openapi(listSets, async (c) => {
      const { teamId } = teamCaller(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor);
      const sets = await db
        .select()
        .from(metadataSets)
        .where(
          and(
            eq(metadataSets.teamId, teamId),
            after === undefined ? undefined : lt(metadataSets.id, after),
          ),
        )
        .orderBy(desc(metadataSets.id))
        .limit(limit + 1);
      const latest = await latestVersions(
        db,
        sets.map((s) => s.id),
      );
      return c.json(
        toPage(
          sets,
          limit,
          (s) => s.id,
          (s) => presentSet(s, latest.get(s.id)!),
        ),
        200,
      );
    })
    .openapi(getSet, async (c) => {
      const { teamId } = teamCaller(c);
      const set = await findSet(db, teamId, c.req.valid('param').id);
      const latest = await latestVersions(db, [set.id]);
      return c.json(presentDetail(set, latest.get(set.id)!), 200);
    })
    .openapi(addVersion, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const content = c.req.valid('json');
      const version = await db.transaction(async (tx) => {
        const [set] = await tx
          .select()
          .from(metadataSets)
          .where(and(eq(metadataSets.teamId, teamId), eq(metadataSets.id, id)))
          .for('update');
        if (!set) throw notFound('metadata set', id);
        const [last] = await tx
          .select({ version: max(metadataSetVersions.version) })
          .from(metadataSetVersions)
          .where(eq(metadataSetVersions.metadataSetId, id));
        return insertVersion(tx, set, (last?.version ?? 0) + 1, content);
      });
      return c.json(presentVersion(version), 201);
    })
    .openapi(listVersions, async (c) => {
      const { teamId } = teamCaller(c);
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      await findSet(db, teamId, id);
      const after = decodeNumericCursor(cursor);
      const rows = await db
        .select()
        .from(metadataSetVersions)
        .where(
          and(
            eq(metadataSetVersions.metadataSetId, id),
            after === undefined ? undefined : gt(metadataSetVersions.version, after),
          ),
        )
        .orderBy(asc(metadataSetVersions.version))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (v) => v.version, presentVersion),
        200,
      );
    })
    .openapi(getVersion, async (c) => {
      const { teamId } = teamCaller(c);
      const { id, version } = c.req.valid('param');
      await findSet(db, teamId, id);
      const [row] = await db
        .select()
        .from(metadataSetVersions)
        .where(
          and(eq(metadataSetVersions.metadataSetId, id), eq(metadataSetVersions.version, version)),
        );
      if (!row) throw notFound('metadata set version', `${id}@${version}`);
      return c.json(presentVersion(row), 200);
    });
}

type Content = {
  names: string[];
  synonyms: Record<string, string[]>;
  templates?: string[] | undefined;
};

async function insertVersion(
  db: Db,
  set: SetRow,
  version: number,
  content: Content,
): Promise<VersionRow> {
  const [row] = await db
    .insert(metadataSetVersions)
    .values({
      teamId: set.teamId,
      metadataSetId: set.id,
      version,
      names: content.names,
      synonyms: content.synonyms,
      templates: content.templates ?? null,
    })
    .returning();
  return row!;
}

async function findSet(db: Db, teamId: string, id: string): Promise<SetRow> {
  const [set] = await db
    .select()
    .from(metadataSets)
    .where(and(eq(metadataSets.teamId, teamId), eq(metadataSets.id, id)));
  if (!set) throw notFound('metadata set', id);
  return set;
}

/** The latest version of each set. */
async function latestVersions(db: Db, setIds: string[]): Promise<Map<string, VersionRow>> {
  if (setIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([metadataSetVersions.metadataSetId])
    .from(metadataSetVersions)
    .where(inArray(metadataSetVersions.metadataSetId, setIds))
    .orderBy(metadataSetVersions.metadataSetId, desc(metadataSetVersions.version));
  return new Map(rows.map((v) => [v.metadataSetId, v]));
}

function presentSet(set: SetRow, latest: VersionRow): MetadataSet {
  return {
    id: set.id,
    name: set.name,
    description: set.description,
    latestVersion: latest.version,
    nameCount: latest.names.length,
    createdAt: iso(set.createdAt),
  };
}

function presentDetail(set: SetRow, latest: VersionRow): MetadataSetDetail {
  return { ...presentSet(set, latest), latest: presentVersion(latest) };
}

// A run's checkpoints, for its team: listed oldest first, and each downloaded as a tar of its files
// (weights.bin, optimizer.bin, tokenizer.json, state.json at the top level), streamed from the
// blob store. A presigning store (S3) keeps that tar beside the checkpoint's folder, made on the
// first download, and answers 302 to a presigned GET of it. A checkpoint's export for PyTorch /
// open_clip (services/checkpoint-export.ts) downloads as a tar too. Another team's run or
// checkpoint is a 404, as a missing one is.
import { Checkpoint, IdParam, PageQuery, pageOf } from '@curio/contracts';
import { and, asc, eq, gt } from '@curio/db';
import { checkpoints } from '@curio/db/schema';
import { createRoute, z } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonResponse, problems } from '../http/openapi.js';
import { decodeNumericCursor, toPage } from '../http/pagination.js';
import { notFound } from '../http/problem.js';
import { presentCheckpoint } from '../presenters/runs.js';
import { RunBlobs } from '../services/run-blobs.js';
import { checkpointExport } from '#checkpoint-export';
import { checkpointTar } from '../services/checkpoint-tar.js';
import { findRun } from './runs.js';

const tags = ['runs'];
const CheckpointParams = IdParam.extend({
  checkpointId: z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'a checkpoint id'),
});

const listCheckpoints = createRoute({
  method: 'get',
  path: '/runs/{id}/checkpoints',
  tags,
  summary: "A run's checkpoints, oldest step first (those retention has kept)",
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(Checkpoint), 'A page of checkpoints'),
    ...problems(400, 401, 403, 404),
  },
});

const downloadCheckpoint = createRoute({
  method: 'get',
  path: '/runs/{id}/checkpoints/{checkpointId}/download',
  tags,
  summary: 'Download a checkpoint as a tar of its files (streamed)',
  request: { params: CheckpointParams },
  responses: {
    200: {
      description:
        'A tar with weights.bin, optimizer.bin, tokenizer.json and state.json at the top level',
      content: { 'application/x-tar': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    302: { description: 'The same tar, at the presigned URL in Location (a presigning store)' },
    ...problems(401, 403, 404),
  },
});

const exportCheckpoint = createRoute({
  method: 'get',
  path: '/runs/{id}/checkpoints/{checkpointId}/export',
  tags,
  summary:
    'Download a checkpoint exported for PyTorch / open_clip (made by `curio-train export` on first use)',
  request: { params: CheckpointParams },
  responses: {
    200: {
      description: 'A tar with model.safetensors, open_clip_config.json and tokenizer.json',
      content: { 'application/x-tar': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problems(401, 403, 404, 422, 501),
  },
});

/** The team's checkpoint of the run, with its blob key and files; a 404 if any is missing. */
async function findCheckpointFiles(
  db: AppContext['db'],
  blobs: RunBlobs,
  teamId: string,
  params: { id: string; checkpointId: string },
) {
  const run = await findRun(db, teamId, params.id);
  const [row] = await db
    .select()
    .from(checkpoints)
    .where(
      and(
        eq(checkpoints.teamId, teamId),
        eq(checkpoints.runId, run.id),
        eq(checkpoints.id, params.checkpointId),
      ),
    );
  const key = row && blobs.keyOfUri(run.id, row.blobUri);
  const files = key ? await blobs.list(run.id, `${key}/`) : [];
  if (!row || !key || files.length === 0) throw notFound('checkpoint', params.checkpointId);
  return { run, row, key, files };
}

export function checkpointRoutes(ctx: AppContext) {
  const { db } = ctx;
  const blobs = new RunBlobs(ctx.blobStore);
  return createRouter()
    .openapi(listCheckpoints, async (c) => {
      const { teamId } = teamCaller(c);
      const run = await findRun(db, teamId, c.req.valid('param').id);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeNumericCursor(cursor);
      const rows = await db
        .select()
        .from(checkpoints)
        .where(
          and(
            eq(checkpoints.runId, run.id),
            after === undefined ? undefined : gt(checkpoints.step, after),
          ),
        )
        .orderBy(asc(checkpoints.step))
        .limit(limit + 1);
      return c.json(
        toPage(rows, limit, (r) => r.step, presentCheckpoint),
        200,
      );
    })
    .openapi(downloadCheckpoint, async (c) => {
      const { teamId } = teamCaller(c);
      const found = await findCheckpointFiles(db, blobs, teamId, c.req.valid('param'));
      const { run, row, key, files } = found;
      const name = `${run.id}-step-${row.step}.tar`;
      if (blobs.store.presignGet) {
        const tarKey = `${key}.tar`;
        if (!(await blobs.exists(run.id, tarKey)))
          await blobs.put(
            run.id,
            tarKey,
            checkpointTar(blobs, run.id, files, `${key}/`),
            Number.MAX_SAFE_INTEGER,
          );
        const get = await blobs.presignGet(run.id, tarKey, ctx.timing.presignSeconds);
        return c.redirect(get!.url, 302);
      }
      return c.body(checkpointTar(blobs, run.id, files, `${key}/`), 200, {
        'content-type': 'application/x-tar',
        'content-disposition': `attachment; filename="${name}"`,
      });
    })
    .openapi(exportCheckpoint, async (c) => {
      const { teamId } = teamCaller(c);
      const { run, row, key } = await findCheckpointFiles(db, blobs, teamId, c.req.valid('param'));
      const files = await checkpointExport(blobs, run.id, { id: row.id, key });
      return c.body(checkpointTar(blobs, run.id, files, `${key}.export/`), 200, {
        'content-type': 'application/x-tar',
        'content-disposition': `attachment; filename="${run.id}-step-${row.step}-open_clip.tar"`,
      });
    });
}

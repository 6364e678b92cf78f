// Worker protocol, blobs: checkpoint files and other uploads in the run's own blob space
// (`<runId>/<key>` in the blob store). Uploads stream to the store under a size limit; keys that
// could leave the run's space are refused; deleting a checkpoint's folder (retention) deletes its
// record, and its children take its parent (the lineage stays connected). When the store presigns
// (S3), PUT and GET answer 307 to a presigned URL of that one key, so the bytes go between worker
// and bucket, never through the API.
// Raw bytes, so the handlers are plain and the OpenAPI entries are registered by hand.
import { Problem, PROBLEM_CONTENT_TYPE } from '@curio/contracts';
import { and, eq, inArray, type Db } from '@curio/db';
import { checkpoints } from '@curio/db/schema';
import { z } from '@hono/zod-openapi';
import { runCaller } from '../../auth/caller.js';
import type { AppContext } from '../../deps.js';
import { createRouter, noBody } from '../../http/openapi.js';
import { ApiError, notFound } from '../../http/problem.js';
import { checkKey } from '../../services/blob-keys.js';
import { RunBlobs } from '../../services/run-blobs.js';
import { fencedRun } from '../../services/worker-run.js';
import { RunParam, workerSecurity as security, workerTags as tags } from './params.js';

const KeyParams = RunParam.extend({
  key: z.string().min(1).describe('A relative key; may contain "/"'),
});
const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
});
const common = {
  401: problem('Missing, unknown or revoked token'),
  403: problem('A token of another run'),
  409: problem('An old attempt, or the run is final'),
};

export function workerBlobRoutes(ctx: AppContext) {
  const { db } = ctx;
  const store = new RunBlobs(ctx.blobStore);
  const router = createRouter();
  const registry = router.openAPIRegistry;

  registry.registerPath({
    method: 'put',
    path: '/worker/runs/{runId}/blobs/{key}',
    tags,
    security,
    summary: 'Upload a blob (raw bytes) under a key of the run',
    request: {
      params: KeyParams,
      body: {
        content: {
          'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
        },
      },
    },
    responses: {
      204: { description: 'Stored' },
      307: { description: 'PUT the bytes to the presigned URL in Location (a presigning store)' },
      400: problem('A key that is not a safe relative path'),
      411: problem('No Content-Length, which a presigned upload needs'),
      413: problem('Larger than the upload limit'),
      ...common,
    },
  });
  router.put('/worker/runs/:runId/blobs/:key{.+}', async (c) => {
    const run = await fencedRun(db, runCaller(c), 'checkpoint');
    const key = checkKey(c.req.param('key'));
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > ctx.limits.blobBytes)
      throw new ApiError(
        413,
        'payload-too-large',
        `blob ${key} is ${declared} bytes; the limit is ${ctx.limits.blobBytes}`,
      );
    if (store.store.presignPut) {
      if (!Number.isSafeInteger(declared) || declared < 0)
        throw new ApiError(411, 'length-required', `blob ${key}: send its Content-Length`);
      const put = await store.presignPut(run.id, key, declared, ctx.timing.presignSeconds);
      return c.redirect(put!.url, 307);
    }
    await store.put(run.id, key, c.req.raw.body, ctx.limits.blobBytes);
    return c.body(null, 204);
  });

  registry.registerPath({
    method: 'get',
    path: '/worker/runs/{runId}/blobs/{key}',
    tags,
    security,
    summary: 'Download a blob of the run',
    request: { params: KeyParams },
    responses: {
      200: {
        description: 'The bytes',
        content: {
          'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
        },
      },
      307: { description: 'GET the bytes from the presigned URL in Location (a presigning store)' },
      400: problem('A key that is not a safe relative path'),
      404: problem('No blob under this key'),
      ...common,
    },
  });
  router.get('/worker/runs/:runId/blobs/:key{.+}', async (c) => {
    const run = await fencedRun(db, runCaller(c), 'any');
    const key = c.req.param('key');
    const presigned = await store.presignGet(run.id, key, ctx.timing.presignSeconds);
    if (presigned) return c.redirect(presigned.url, 307);
    const blob = await store.get(run.id, key);
    if (!blob) throw notFound('blob', key);
    return c.body(blob.stream, 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
    });
  });

  registry.registerPath({
    method: 'delete',
    path: '/worker/runs/{runId}/blobs/{key}',
    tags,
    security,
    summary:
      'Delete a blob or a folder of blobs (checkpoint retention); a checkpoint recorded under the key is deleted with it',
    request: { params: KeyParams },
    responses: {
      204: { description: 'Deleted (or there was nothing)' },
      400: problem('A key that is not a safe relative path'),
      ...common,
    },
  });
  router.delete('/worker/runs/:runId/blobs/:key{.+}', async (c) => {
    const run = await fencedRun(db, runCaller(c), 'checkpoint');
    await noBody(c);
    const key = checkKey(c.req.param('key'));
    // The row first: a checkpoint is never listed, downloaded or resumed from without its files.
    await deleteCheckpointRecords(db, run.id, store.uri(run.id, key));
    await store.remove(run.id, key);
    if (store.store.presignGet) await store.remove(run.id, `${key}.tar`); // a download's tar
    await store.remove(run.id, `${key}.export`); // its export for open_clip, if one was made
    return c.body(null, 204);
  });

  registry.registerPath({
    method: 'get',
    path: '/worker/runs/{runId}/blobs',
    tags,
    security,
    summary: "List the run's blob keys under a prefix",
    request: { params: RunParam, query: z.object({ prefix: z.string().max(1024).optional() }) },
    responses: {
      200: {
        description: 'The keys, sorted',
        content: { 'application/json': { schema: z.object({ keys: z.array(z.string()) }) } },
      },
      ...common,
    },
  });
  router.get('/worker/runs/:runId/blobs', async (c) => {
    const run = await fencedRun(db, runCaller(c), 'any');
    const prefix = c.req.query('prefix') ?? '';
    return c.json({ keys: await store.list(run.id, prefix) }, 200);
  });

  return router;
}

/** Delete the checkpoint recorded at `blobUri`; its children's parent becomes its parent. */
async function deleteCheckpointRecords(db: Db, runId: string, blobUri: string): Promise<void> {
  await db.transaction(async (tx) => {
    const gone = await tx
      .select({ id: checkpoints.id, parentCheckpointId: checkpoints.parentCheckpointId })
      .from(checkpoints)
      .where(and(eq(checkpoints.runId, runId), eq(checkpoints.blobUri, blobUri)));
    for (const g of gone)
      await tx
        .update(checkpoints)
        .set({ parentCheckpointId: g.parentCheckpointId })
        .where(eq(checkpoints.parentCheckpointId, g.id));
    if (gone.length)
      await tx.delete(checkpoints).where(
        inArray(
          checkpoints.id,
          gone.map((g) => g.id),
        ),
      );
  });
}

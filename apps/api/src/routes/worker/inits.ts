// Worker protocol, models by reference: the files of a checkpoint the run's spec starts from
// (`model.image.init` / `model.text.init` / `growth.parent`, resolved to `{ checkpoint }` when the
// run was created), read with the run's token (on S3, a 307 to a presigned GET of the file). Any
// other checkpoint is a 404, as a missing one is.
import { Problem, PROBLEM_CONTENT_TYPE, type RunSpec } from '@curio/contracts';
import { and, eq } from '@curio/db';
import { checkpoints } from '@curio/db/schema';
import { z } from '@hono/zod-openapi';
import { runCaller } from '../../auth/caller.js';
import type { AppContext } from '../../deps.js';
import { createRouter } from '../../http/openapi.js';
import { notFound } from '../../http/problem.js';
import { checkKey } from '../../services/blob-keys.js';
import { RunBlobs } from '../../services/run-blobs.js';
import { initCheckpointIds } from '../../services/resolve-init.js';
import { fencedRun } from '../../services/worker-run.js';
import { RunParam, workerSecurity as security, workerTags as tags } from './params.js';

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
});

export function workerInitRoutes(ctx: AppContext) {
  const { db } = ctx;
  const store = new RunBlobs(ctx.blobStore);
  const router = createRouter();

  router.openAPIRegistry.registerPath({
    method: 'get',
    path: '/worker/runs/{runId}/inits/{checkpointId}/{name}',
    tags,
    security,
    summary: "A file of a checkpoint the run's spec starts a tower or its growth from",
    request: {
      params: RunParam.extend({
        checkpointId: z.string().min(1).max(100),
        name: z.string().min(1).describe('weights.bin, tokenizer.json, state.json, …'),
      }),
    },
    responses: {
      200: {
        description: 'The bytes',
        content: {
          'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
        },
      },
      307: { description: 'GET the bytes from the presigned URL in Location (a presigning store)' },
      400: problem('A name that is not a plain file name'),
      401: problem('Missing, unknown or revoked token'),
      403: problem('A token of another run'),
      404: problem("Not a checkpoint this run's spec starts from, or no such file"),
      409: problem('An old attempt, or the run is final'),
    },
  });
  router.get('/worker/runs/:runId/inits/:checkpointId/:name', async (c) => {
    const run = await fencedRun(db, runCaller(c), 'live');
    const { checkpointId } = c.req.param();
    const name = checkKey(c.req.param('name'), 'file name');
    const spec = run.spec as RunSpec | null;
    const [row] =
      spec && initCheckpointIds(spec).includes(checkpointId)
        ? await db
            .select()
            .from(checkpoints)
            .where(and(eq(checkpoints.teamId, run.teamId), eq(checkpoints.id, checkpointId)))
        : [];
    if (!row) throw notFound('checkpoint', checkpointId);
    const key = store.keyOfUri(row.runId, row.blobUri);
    if (key === undefined) throw notFound('checkpoint file', `${checkpointId}/${name}`);
    const presigned = await store.presignGet(
      row.runId,
      `${key}/${name}`,
      ctx.timing.presignSeconds,
    );
    if (presigned) return c.redirect(presigned.url, 307);
    const blob = await store.get(row.runId, `${key}/${name}`);
    if (!blob) throw notFound('checkpoint file', `${checkpointId}/${name}`);
    return c.body(blob.stream, 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
    });
  });
  return router;
}

// A team's own shard uploads: `PUT /v1/uploads/{name}` streams a shard tar (raw bytes) into the
// team's area of the blob store and answers the location to name in a pool; no grant is needed to
// use it, and no other team can read it. Raw bytes, so the PUT is registered in OpenAPI by hand.
import { Problem, PROBLEM_CONTENT_TYPE, Upload, UploadParam, pageOf } from '@curio/contracts';
import { createRoute, z } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonResponse, problems } from '../http/openapi.js';
import { ApiError, badRequest } from '../http/problem.js';
import { listUploads, putUpload } from '../services/team-uploads.js';

const tags = ['uploads'];
const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
});

const listRoute = createRoute({
  method: 'get',
  path: '/uploads',
  tags,
  summary: "The team's uploaded shards",
  responses: { 200: jsonResponse(pageOf(Upload), 'Every upload, by name'), ...problems(401, 403) },
});

export function uploadRoutes(ctx: AppContext) {
  const router = createRouter();
  router.openAPIRegistry.registerPath({
    method: 'put',
    path: '/uploads/{name}',
    tags,
    summary: "Upload a shard tar (raw bytes) into the team's upload area; answers its location",
    request: {
      params: UploadParam,
      body: {
        content: {
          'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
        },
      },
    },
    responses: {
      201: { description: 'Stored', content: { 'application/json': { schema: Upload } } },
      400: problem('A name that is not one file name ending in .tar'),
      401: problem('Missing, unknown or revoked key'),
      403: problem('A viewer key, or a worker token'),
      409: problem('An upload of that name exists (uploads are never replaced)'),
      413: problem('Larger than the upload limit'),
      422: problem('Not a tar archive'),
    },
  });
  router.put('/uploads/:name', async (c) => {
    const { teamId } = teamCaller(c);
    const parsed = UploadParam.safeParse({ name: c.req.param('name') });
    if (!parsed.success)
      throw badRequest(
        'invalid-request',
        `invalid path: name: ${parsed.error.issues[0]!.message}`,
        [{ path: 'name', message: parsed.error.issues[0]!.message }],
      );
    const { name } = parsed.data;
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > ctx.limits.blobBytes)
      throw new ApiError(
        413,
        'payload-too-large',
        `${name} is ${declared} bytes; the limit is ${ctx.limits.blobBytes}`,
      );
    const upload = await putUpload(
      ctx.blobRoot,
      teamId,
      name,
      c.req.raw.body,
      ctx.limits.blobBytes,
    );
    return c.json(upload, 201);
  });
  return router.openapi(listRoute, async (c) => {
    const { teamId } = teamCaller(c);
    return c.json({ items: await listUploads(ctx.blobRoot, teamId), nextCursor: null }, 200);
  });
}

// A team's own shard uploads, in the team's area of the blob store; the answered location is
// named in a pool; no grant is needed to use it, and no other team can read it.
// `POST /v1/uploads` starts one: a presigned PUT straight to the bucket when the store presigns
// (S3), else this API's own `PUT /v1/uploads/{name}`, which streams the tar (raw bytes, so it is
// registered in OpenAPI by hand) to the filesystem store.
import {
  Problem,
  PROBLEM_CONTENT_TYPE,
  Upload,
  UploadParam,
  UploadStart,
  UploadTarget,
  pageOf,
} from '@curio/contracts';
import { createRoute, z } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/openapi.js';
import { ApiError, badRequest, conflict } from '../http/problem.js';
import { listStoredUploads, presignUpload } from '../services/presigned-uploads.js';
import { listUploads, putUpload, teamUploadFile } from '../services/team-uploads.js';

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

const startRoute = createRoute({
  method: 'post',
  path: '/uploads',
  tags,
  summary: 'Start an upload of a shard tar: where to PUT its bytes',
  request: { body: jsonBody(UploadStart) },
  responses: {
    201: jsonResponse(UploadTarget, 'PUT the tar there; its location is named in a pool'),
    ...problems(400, 401, 403, 409, 413),
  },
});

export function uploadRoutes(ctx: AppContext) {
  const router = createRouter();
  const store = ctx.blobStore;
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
    if (store.presignPut)
      throw conflict(
        'use-presigned-upload',
        `this server keeps uploads in object storage: POST /v1/uploads {"name": "${name}", "bytes": …} for a URL to PUT ${name} to`,
      );
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
  return router
    .openapi(startRoute, async (c) => {
      const { teamId } = teamCaller(c);
      const { name, bytes } = c.req.valid('json');
      if (bytes > ctx.limits.blobBytes)
        throw new ApiError(
          413,
          'payload-too-large',
          `${name} is ${bytes} bytes; the limit is ${ctx.limits.blobBytes}`,
        );
      if (store.presignPut)
        return c.json(
          await presignUpload(store, teamId, name, bytes, ctx.timing.presignSeconds),
          201,
        );
      const taken = (await listUploads(ctx.blobRoot, teamId)).some((u) => u.name === name);
      if (taken) throw conflict('already-exists', `an upload named ${name} exists already`);
      return c.json(
        {
          name,
          location: teamUploadFile(ctx.blobRoot, teamId, name),
          method: 'PUT' as const,
          url: `${ctx.publicUrl}/v1/uploads/${name}`,
          headers: { 'content-type': 'application/octet-stream' },
          auth: 'api-key' as const,
          expiresAt: null,
        },
        201,
      );
    })
    .openapi(listRoute, async (c) => {
      const { teamId } = teamCaller(c);
      const items = store.presignPut
        ? await listStoredUploads(store, teamId)
        : await listUploads(ctx.blobRoot, teamId);
      return c.json({ items, nextCursor: null }, 200);
    });
}

// The images of a run's curation samples: a round names a few kept and rejected pairs by shard and
// key (`keptSamples`, `rejectedSamples`), and this serves each one's thumbnail to the run's team.
import { CurationSampleImageQuery, IdParam } from '@curio/contracts';
import { createRoute, z } from '@hono/zod-openapi';
import { teamCaller } from '../auth/caller.js';
import type { AppContext } from '../deps.js';
import { createRouter, problems } from '../http/openapi.js';
import { sampleThumbnail } from '../services/sample-thumbnail.js';
import { findRun } from './runs.js';

const sampleImage = createRoute({
  method: 'get',
  path: '/runs/{id}/curation/samples/image',
  tags: ['runs'],
  summary:
    "A thumbnail (WebP, at most 160 px a side; at the edge the image as stored, checked) of a curation sample's image, read from the run's pool shard",
  request: { params: IdParam, query: CurationSampleImageQuery },
  responses: {
    200: {
      description: 'The image, re-encoded small (at the edge: as stored)',
      content: {
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...problems(400, 401, 403, 404, 422),
  },
});

export function curationSampleRoutes(ctx: AppContext) {
  return createRouter().openapi(sampleImage, async (c) => {
    const { teamId } = teamCaller(c);
    const run = await findRun(ctx.db, teamId, c.req.valid('param').id);
    const { shard, key } = c.req.valid('query');
    const image = await sampleThumbnail(ctx, ctx.db, run, shard, key);
    // Shards do not change once added to a pool: the browser may keep the image a while.
    return c.body(new Uint8Array(image.body), 200, {
      'content-type': image.contentType,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=3600',
    });
  });
}

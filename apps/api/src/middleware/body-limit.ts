// Request size limits: JSON bodies are small (1 MiB on team routes, more for worker batches);
// worker blob uploads are streamed to disk and limited there (routes/worker/blobs.ts).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../http/problem.js';

export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(
        413,
        'payload-too-large',
        `the request body is larger than this route accepts (${maxBytes} bytes)`,
      );
    },
  });
}

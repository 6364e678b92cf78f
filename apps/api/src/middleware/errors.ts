// The global error handler: whatever a handler throws becomes a problem+json answer.
// ApiError → its own status; blob stores' errors → 413 / 409; lifecycle errors → 404 / 409; unique violations → 409; hono's own
// HTTP errors (malformed JSON, body too large, wrong content type) → their status, said plainly;
// anything else → 500 with the request id to look for in the log. The log line names the error and
// where it was thrown, never the SQL parameters (they can hold a new key's hash, a user's input).
import { BlobExistsError, BlobTooLargeError } from '@curio/blob-store';
import { isUniqueViolation, pgError } from '@curio/db';
import { isRunLifecycleError } from '@curio/runs';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, problemResponse } from '../http/problem.js';
import { escapeControl } from '../http/text.js';
import { describeError } from '../log.js';

/** Readable names for the unique constraints a request can hit. */
const UNIQUE_MESSAGES: Record<string, string> = {
  pools_team_name_uq: 'a pool with this name already exists in the team',
  metadata_sets_team_name_uq: 'a metadata set with this name already exists in the team',
  eval_sets_team_name_uq: 'an eval set with this name already exists in the team',
  experiments_team_name_uq: 'an experiment with this name already exists in the team',
  pool_shards_pool_uri_uq: 'a shard with this URI is already in the pool',
  teams_slug_unique: 'a team with this slug already exists',
  metadata_set_versions_set_version_uq: 'another version was added at the same time: try again',
};

export function errorHandler(log: (message: string) => void): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError)
      return problemResponse(c, error.status, error.slug, error.message, error.errors);
    if (error instanceof BlobTooLargeError)
      return problemResponse(c, 413, 'payload-too-large', error.message);
    if (error instanceof BlobExistsError)
      return problemResponse(c, 409, 'already-exists', `${error.message} (blobs are not replaced)`);
    if (isRunLifecycleError(error)) {
      const status = error.code === 'not_found' ? 404 : 409;
      return problemResponse(c, status, error.code.replace('_', '-'), error.message);
    }
    if (error instanceof HTTPException) return httpProblem(c, error);
    if (isUniqueViolation(error)) {
      const constraint = pgError(error)?.constraint ?? '';
      const detail = UNIQUE_MESSAGES[constraint] ?? `already exists (${constraint})`;
      return problemResponse(c, 409, 'already-exists', detail);
    }
    log(
      `${c.req.method} ${escapeControl(c.req.path, true)} [${c.get('requestId')}] failed: ${describeError(error)}`,
    );
    return problemResponse(
      c,
      500,
      'internal',
      `the server failed on this request; look for request id ${c.get('requestId')} in its log`,
    );
  };
}

function httpProblem(c: Context, error: HTTPException): Response {
  const status = error.status as ContentfulStatusCode;
  if (status === 415) {
    const type = c.req.header('content-type');
    const detail = type
      ? `content type ${type} is not accepted here: send application/json`
      : 'this request has a body but no Content-Type: send application/json';
    return problemResponse(c, 415, 'unsupported-media-type', detail);
  }
  if (status === 413) return problemResponse(c, 413, 'payload-too-large', error.message);
  if (status === 400 && /malformed json/i.test(error.message))
    return problemResponse(
      c,
      400,
      'malformed-json',
      'the request body is not valid JSON (malformed JSON)',
    );
  return problemResponse(c, status, 'http-error', error.message || 'request failed');
}

export const notFoundHandler: NotFoundHandler = (c) =>
  problemResponse(c, 404, 'no-route', `no route for ${c.req.method} ${c.req.path}`);

// Route building blocks: a router whose validation errors are problem+json naming each field,
// and shorthands for the content of requests and responses in `createRoute`.
import { Problem, PROBLEM_CONTENT_TYPE } from '@curio/contracts';
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import type { Context, Env } from 'hono';
import type { z } from 'zod';
import { badRequest, problemResponse, type FieldError } from './problem.js';

const TARGETS: Record<string, string> = {
  json: 'request body',
  query: 'query',
  param: 'path',
  header: 'headers',
  form: 'form',
  cookie: 'cookies',
};

/** The one hook every route validates with: a 400 problem whose `errors` name each field. */
export const validationHook: Hook<unknown, Env, string, unknown> = (result, c) => {
  if (result.success) return;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const where = TARGETS[result.target] ?? result.target;
  const detail = `invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
  return problemResponse(c, 400, 'invalid-request', detail, errors);
};

/** A sub-app for one resource; mounted under /v1 by app.ts. */
export function createRouter() {
  return new OpenAPIHono({ defaultHook: validationHook });
}

export function jsonBody<T extends z.ZodType>(schema: T, description = 'JSON body') {
  return { content: { 'application/json': { schema } }, required: true, description } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description } as const;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (malformed JSON, a field that fails validation, a bad cursor)',
  401: 'Missing, unknown, expired or revoked key or session; a wrong email or password',
  403: 'The caller may not do this (viewer role, wrong kind of key, another run, no CSRF token)',
  404: "No such object in the caller's team",
  409: 'Conflicts with the current state (a name in use, a run already final, an old attempt)',
  410: 'A one-time token already used, or expired (an invite, a login link)',
  413: 'Body too large',
  415: 'Wrong content type',
  422: 'Refers to something missing or unreadable (a pool, a shard, an eval set folder)',
  429: 'Too many failed authentications from this address (see Retry-After)',
  501: 'Not available where this API runs (the edge lacks what it needs: see the README)',
};

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 501;
type ProblemContent = {
  content: { 'application/problem+json': { schema: typeof Problem } };
  description: string;
};

/** The problem+json answers a route may give, for the OpenAPI document. */
export function problems<S extends ProblemStatus>(...statuses: S[]): { [K in S]: ProblemContent } {
  const out = {} as { [K in S]: ProblemContent };
  for (const status of statuses)
    out[status] = {
      content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } as ProblemContent['content'],
      description: ERROR_DESCRIPTIONS[status] ?? 'Error',
    };
  return out;
}

/**
 * For writes that take no body (cancel, revoke, delete): none, or `{}`; anything else is a 400.
 * (A body that is not JSON was already refused by the input guard.)
 */
export async function noBody(c: Context): Promise<void> {
  const text = c.req.raw.body === null ? '' : (await c.req.text()).trim();
  if (text === '' || text === '{}') return;
  throw badRequest('unexpected-body', 'this route takes no body (or an empty JSON object)', [
    { path: '(root)', message: 'expected no body, or {}' },
  ]);
}

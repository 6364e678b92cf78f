// problem+json (RFC 9457): every error the API answers is one of these, raised as an `ApiError`
// anywhere in a handler and written by the error handler (middleware/errors.ts).
import { PROBLEM_CONTENT_TYPE, type Problem } from '@curio/contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldError {
  path: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error with an HTTP answer; `slug` becomes the problem's `type`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly slug: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}

export const badRequest = (slug: string, detail: string, errors?: FieldError[]) =>
  new ApiError(400, slug, detail, errors);
export const unauthorized = (detail: string) => new ApiError(401, 'unauthorized', detail);
export const forbidden = (detail: string) => new ApiError(403, 'forbidden', detail);
/** "pool pool_01… not found": also what another team's object answers. */
export const notFound = (what: string, id: string) =>
  new ApiError(404, 'not-found', `${what} ${id} not found`);
export const conflict = (slug: string, detail: string) => new ApiError(409, slug, detail);
export const gone = (slug: string, detail: string) => new ApiError(410, slug, detail);
export const unprocessable = (slug: string, detail: string, errors?: FieldError[]) =>
  new ApiError(422, slug, detail, errors);

export function problemBody(
  status: number,
  slug: string,
  detail: string,
  extra: { errors?: FieldError[] | undefined; instance?: string; requestId?: string } = {},
): Problem {
  const body: Problem = {
    type: `https://curio.dev/problems/${slug}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
  };
  if (extra.instance) body.instance = extra.instance;
  if (extra.requestId) body.requestId = extra.requestId;
  if (extra.errors?.length) body.errors = extra.errors;
  return body;
}

/** Answer `c` with a problem document. */
export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  slug: string,
  detail: string,
  errors?: FieldError[],
): Response {
  const body = problemBody(status, slug, detail, {
    errors,
    instance: new URL(c.req.url).pathname,
    requestId: c.get('requestId'),
  });
  return c.body(JSON.stringify(body), status, { 'content-type': PROBLEM_CONTENT_TYPE });
}

// The typed API client: `hc<AppType>` from hono/client over the API's own route types, with the
// key sent as a bearer token. `ok()` turns an answer into its JSON body, or throws an ApiCallError
// that says the problem+json detail in one line; an unreachable API is a CliError saying where.
import type { AppType } from '@curio/api';
import type { Page, Problem } from '@curio/contracts';
import { hc, type ClientResponse } from 'hono/client';
import type { Connection } from './connection.js';
import { ApiCallError, CliError, EXIT } from './errors.js';

export type Client = ReturnType<typeof hc<AppType>>;

export function createClient(conn: Pick<Connection, 'url' | 'key'>): Client {
  const headers: Record<string, string> = {};
  if (conn.key) headers.authorization = `Bearer ${conn.key}`;
  return hc<AppType>(conn.url, { headers, fetch: reachableFetch(conn.url) });
}

/** fetch, with a network failure said plainly: which URL, why, and what to do. */
export function reachableFetch(baseUrl: string): typeof fetch {
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw unreachable(baseUrl, error);
    }
  };
}

export function unreachable(baseUrl: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError(
    `cannot reach the Curio API at ${baseUrl} (${why}): is it running? (\`curio serve\` starts one here; CURIO_API_URL or --api names another)`,
    EXIT.unreachable,
  );
}

type Success<R> =
  R extends ClientResponse<infer T, infer S, 'json'> ? (S extends 200 | 201 ? T : never) : never;

/** The JSON body of a successful answer; any other answer throws an ApiCallError naming `what` failed. */
export async function ok<R extends ClientResponse<unknown, number, string>>(
  what: string,
  request: Promise<R> | R,
): Promise<Success<R>> {
  const res = await request;
  if (res.ok) return (await res.json()) as Success<R>;
  throw await problemOf(res, what);
}

export async function problemOf(
  res: Response | ClientResponse<unknown>,
  what: string,
): Promise<ApiCallError> {
  const raw = await res.text().catch(() => '');
  let problem: Problem | undefined;
  try {
    const body = JSON.parse(raw) as Partial<Problem>;
    if (typeof body.status === 'number' && typeof body.title === 'string')
      problem = body as Problem;
  } catch {
    // not JSON: described from the raw text
  }
  return new ApiCallError(res.status, problem, what, raw);
}

/**
 * Up to `limit` items of a cursor-paginated list, following `nextCursor` page by page (the API
 * serves at most 200 a page).
 */
export async function collect<T>(
  limit: number,
  page: (query: { limit: string; cursor?: string }) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const want = Math.min(200, limit - items.length);
    const got = await page({ limit: String(want), ...(cursor !== undefined && { cursor }) });
    items.push(...got.items);
    cursor = got.nextCursor ?? undefined;
  } while (cursor !== undefined && items.length < limit);
  return items.slice(0, limit);
}

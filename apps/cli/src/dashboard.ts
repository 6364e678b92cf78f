// The dashboard's address as `serve` and `demo` print it: the API's origin serves it when it is
// built; `demo` adds a one-time login link for its team's owner (POST /v1/auth/login-links).
import pc from 'picocolors';
import { problemOf, reachableFetch, type Client } from './client.js';

const NOT_BUILT =
  'dashboard not served (not built here: npm run build -w @curio/web, then start again)';

/** `dashboard <url>/`, or why there is none. */
export function dashboardLine(dashboardUrl: string | undefined): string {
  return dashboardUrl ? `dashboard: ${pc.bold(dashboardUrl)}` : pc.dim(NOT_BUILT);
}

/** The dashboard URL and a login link good for one sign-in within the hour, or why there is none. */
export async function dashboardLogin(
  client: Client,
  url: string,
  dashboardUrl: string | undefined,
): Promise<string> {
  if (!dashboardUrl) return NOT_BUILT;
  const res = await client.v1.auth['login-links'].$post({ json: {} });
  // Only an owner's key may make one; the dashboard is there all the same.
  if (!res.ok)
    return `${pc.bold(dashboardUrl)} (no login link: ${(await problemOf(res, 'making a login link')).message})`;
  const link = await res.json();
  return `${pc.bold(dashboardUrl)}  sign in once with ${pc.bold(`${url}${link.url}`)} (good for one use until ${link.expiresAt.slice(11, 16)} UTC)`;
}

/** `<url>/` when the API there answers its root with a page (it serves a built dashboard). */
export async function servedDashboard(url: string): Promise<string | undefined> {
  const res = await reachableFetch(url)(`${url}/`, { signal: AbortSignal.timeout(5000) });
  await res.body?.cancel();
  return res.ok && res.headers.get('content-type')?.includes('text/html') ? `${url}/` : undefined;
}

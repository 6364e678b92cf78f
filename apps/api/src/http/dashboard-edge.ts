// The dashboard at the edge (the `workerd` import condition; dashboard.ts on Node): the API does
// not serve it there — the built files are the deployment's static assets on the same origin.
import type { MiddlewareHandler } from 'hono';

export function dashboard(root: string): MiddlewareHandler[] {
  throw new Error(
    `the edge serves the dashboard as static assets; webDist (${root}) is for the Node API`,
  );
}

// The built dashboard (apps/web/dist) served by the API process at `/`, so the browser app and
// the API share one origin (no CORS). Files are served as they are; a GET of a page path (no file
// extension) that is not a file gets index.html, where the app's router takes over. `/v1` is
// never touched. Pages may not be framed (the dashboard has buttons worth clickjacking), and
// links out carry no referrer (invite and login-link paths hold tokens).
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, MiddlewareHandler } from 'hono';

const HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
};

function withHeaders(c: Context, hashed: boolean): void {
  for (const [name, value] of Object.entries(HEADERS)) c.header(name, value);
  // Vite names built assets by content hash; index.html must be asked for again every time.
  c.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Each mounted with `app.get('*', handler)`, in order, after every API route. */
export function dashboard(root: string): MiddlewareHandler[] {
  const files = serveStatic({ root });
  const page = serveStatic({ root, path: 'index.html' });
  const api = (path: string) => path === '/v1' || path.startsWith('/v1/');
  return [
    (c, next) => {
      if (api(c.req.path)) return next();
      withHeaders(c, c.req.path.startsWith('/assets/'));
      return files(c, next);
    },
    // A missing file (a name with an extension) stays a 404; a page path gets the app.
    (c, next) => {
      if (api(c.req.path) || /\.[^/]*$/.test(c.req.path)) return next();
      withHeaders(c, false);
      return page(c, next);
    },
  ];
}

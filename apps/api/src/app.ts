// createApp(deps): the Curio HTTP API as a Hono app, runtime-agnostic (index.ts serves it on
// Node). REST under /v1, validated by the shared zod schemas of @curio/contracts, documented at
// /v1/openapi.json; errors are problem+json. `AppType` types `hc<AppType>` clients.
import { CSRF_HEADER, SESSION_COOKIE } from '@curio/contracts';
import type { MiddlewareHandler } from 'hono';
import { resolveDeps, type AppContext, type AppDeps } from './deps.js';
import { dashboard } from '#dashboard';
import { createRouter } from './http/openapi.js';
import { AuthThrottle } from './auth/throttle.js';
import { workerAccess, teamAccess } from './middleware/access.js';
import { authThrottle, socketAddress } from './middleware/auth-throttle.js';
import { authenticate } from './middleware/authenticate.js';
import { jsonBodyLimit } from './middleware/body-limit.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { inputGuard, segmentNamer } from './middleware/input-guard.js';
import { requestId } from './middleware/request-id.js';
import { authRoutes } from './routes/auth.js';
import { bootstrapRoutes } from './routes/bootstrap.js';
import { checkpointRoutes } from './routes/checkpoints.js';
import { curationSampleRoutes } from './routes/curation-samples.js';
import { evalSetRoutes } from './routes/eval-sets.js';
import { experimentRoutes } from './routes/experiments.js';
import { grantRoutes } from './routes/grants.js';
import { inviteRoutes } from './routes/invites.js';
import { keyRoutes } from './routes/keys.js';
import { loginLinkRoutes } from './routes/login-links.js';
import { metadataSetRoutes } from './routes/metadata-sets.js';
import { poolRoutes } from './routes/pools.js';
import { runSeriesRoutes } from './routes/run-series.js';
import { runStreamRoutes } from './routes/run-stream.js';
import { runRoutes } from './routes/runs.js';
import { scheduleRoutes } from './routes/schedules.js';
import { memberRoutes } from './routes/members.js';
import { teamRoutes } from './routes/teams.js';
import { uploadRoutes } from './routes/uploads.js';
import { workerBlobRoutes } from './routes/worker/blobs.js';
import { workerInitRoutes } from './routes/worker/inits.js';
import { workerLifecycleRoutes } from './routes/worker/lifecycle.js';
import { workerResultRoutes } from './routes/worker/results.js';

export { resolveDeps, type AppContext, type AppDeps } from './deps.js';
export { IdleDispatcher } from './services/idle-dispatcher.js';
/** Begins a queued run's attempt as the dispatch loop does (tests that act as its worker). */
export { beginAttempt } from './services/dispatch-loop.js';
/** Fires the schedules due by the deps' clock, as the scheduler does (tests, embedded use). */
export { fireDueSchedules } from './services/scheduler.js';

export const API_VERSION = '0.1.0';

export function createApp(deps: AppDeps) {
  const ctx = resolveDeps(deps);
  const app = createRouter();
  app.onError(errorHandler(ctx.log));
  app.notFound(notFoundHandler);
  app.use('*', requestId());
  const throttle = new AuthThrottle(
    {
      maxFailures: ctx.limits.authFailures,
      windowMs: ctx.limits.authFailureWindowMs,
      maxClients: 100_000,
    },
    () => ctx.now().getTime(),
  );
  app.use('/v1/*', authThrottle(throttle, ctx.clientAddress ?? socketAddress));
  app.use('/v1/*', bodyLimits(ctx));
  app.use(
    '/v1/*',
    inputGuard(
      { maxDepth: ctx.limits.jsonDepth, maxArray: ctx.limits.jsonArray },
      isRawUpload,
      segmentNamer(() => routeTemplates(app)),
    ),
  );
  app.use('/v1/*', authenticate(ctx.db));
  app.use('/v1/*', teamAccess());
  app.use('/v1/worker/runs/:runId/*', workerAccess());

  const registry = app.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A team API key (`curio_…`), from POST /v1/bootstrap or POST /v1/keys',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `A signed-in browser (POST /v1/auth/login); writes also need the ${CSRF_HEADER} header`,
  });
  registry.registerComponent('securitySchemes', 'workerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A run-scoped worker token (`curio_run_…`), given to the worker at dispatch',
  });
  registry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: "The operator's CURIO_ADMIN_TOKEN (admin routes: a team's data grants)",
  });

  app.get('/v1/health', (c) => c.json({ ok: true, version: API_VERSION }));
  const routes = app
    .route('/v1', bootstrapRoutes(ctx))
    .route('/v1', authRoutes(ctx))
    .route('/v1', loginLinkRoutes(ctx))
    .route('/v1', inviteRoutes(ctx))
    .route('/v1', teamRoutes(ctx))
    .route('/v1', memberRoutes(ctx))
    .route('/v1', keyRoutes(ctx))
    .route('/v1', grantRoutes(ctx))
    .route('/v1', uploadRoutes(ctx))
    .route('/v1', poolRoutes(ctx))
    .route('/v1', metadataSetRoutes(ctx))
    .route('/v1', evalSetRoutes(ctx))
    .route('/v1', experimentRoutes(ctx))
    .route('/v1', runRoutes(ctx))
    .route('/v1', runSeriesRoutes(ctx))
    .route('/v1', curationSampleRoutes(ctx))
    .route('/v1', runStreamRoutes(ctx))
    .route('/v1', checkpointRoutes(ctx))
    .route('/v1', scheduleRoutes(ctx))
    .route('/v1', workerLifecycleRoutes(ctx))
    .route('/v1', workerResultRoutes(ctx))
    .route('/v1', workerBlobRoutes(ctx))
    .route('/v1', workerInitRoutes(ctx));

  if (ctx.webDist) for (const handler of dashboard(ctx.webDist)) app.get('*', handler);

  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Curio API',
      version: API_VERSION,
      description:
        'Teams curate image-text data and train CLIP models with it. Errors are application/problem+json; lists are cursor-paginated ({ items, nextCursor }).',
    },
    security: [{ apiKey: [] }, { session: [] }],
  });
  return routes;
}

export type AppType = ReturnType<typeof createApp>;

/** JSON bodies: 1 MiB on team routes, more for worker batches; blob and shard uploads limit themselves. */
function bodyLimits(ctx: AppContext): MiddlewareHandler {
  const team = jsonBodyLimit(ctx.limits.jsonBytes);
  const worker = jsonBodyLimit(ctx.limits.workerJsonBytes);
  return (c, next) => {
    if (isRawUpload(c.req.method, c.req.path)) return next();
    return c.req.path.startsWith('/v1/worker/') ? worker(c, next) : team(c, next);
  };
}

/** The paths of every documented route, `{param}` style (`/v1/pools/{id}`). */
function routeTemplates(app: ReturnType<typeof createRouter>): string[] {
  return app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? [d.route.path] : []));
}

/** Raw bytes, no JSON, each limited by its route: a worker's blob upload, a team's shard upload. */
function isRawUpload(method: string, path: string): boolean {
  if (method !== 'PUT') return false;
  const workerBlob = path.startsWith('/v1/worker/') && path.includes('/blobs/');
  return workerBlob || path.startsWith('/v1/uploads/');
}

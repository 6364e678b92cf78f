// The API on the edge (Cloudflare Workers, `nodejs_compat`): the same `createApp(deps)` as Node,
// with deps built from the Worker's bindings — PostgreSQL through postgres.js (Hyperdrive's
// connection string, or DATABASE_URL), the S3 blob store, the clock, and a dispatcher the
// deployment injects (none by default: a Node API with CURIO_BACKGROUND=dispatch on the same
// database takes the queued runs and starts their Modal sandboxes — Modal's SDK needs
// `node:http2`, which Workers lack). No timers: the cron trigger's
// `scheduled()` runs one `tick` (schedules, reaper, dispatch). Bundled with the `workerd`
// condition, which swaps the few Node-only modules for edge ones (see README); `edge-bundle.ts`
// builds the bundle and lists its imports.
import { openPostgres, type CurioDb } from '@curio/db';
import type { Dispatcher } from '@curio/dispatch';
import { createApp } from './app.js';
import { resolveDeps, type AppDeps } from './deps.js';
import { readApiEnv, type ApiEnv } from './env.js';
import { settingsFromEnv } from './env-settings.js';
import { createDispatchLoop } from './services/dispatch-loop.js';
import { IdleDispatcher } from './services/idle-dispatcher.js';
import { createReaper } from './services/reaper.js';
import { tick, type TickReport } from './services/tick.js';

/** The Worker's bindings: Curio's variables (env.ts) as strings, and Hyperdrive when bound. */
export interface EdgeBindings {
  HYPERDRIVE?: { connectionString: string };
  [name: string]: unknown;
}

/** The part of the Workers `ExecutionContext` used here. */
export interface EdgeContext {
  waitUntil(promise: Promise<unknown>): void;
}

export interface EdgeOptions {
  /** A dispatcher that works at the edge (fetch only); default: none, runs wait for the Node dispatcher. */
  dispatcher?: (env: ApiEnv) => Dispatcher;
  log?: (message: string) => void;
}

export interface EdgeWorker {
  fetch(request: Request, bindings: EdgeBindings, context: EdgeContext): Promise<Response>;
  scheduled(event: unknown, bindings: EdgeBindings, context: EdgeContext): Promise<void>;
  /** One tick now (what `scheduled` runs), with what it did. */
  tick(bindings: EdgeBindings): Promise<TickReport>;
}

/** The store folders of the Node API do not exist here; no local path reads anything (README). */
const NO_BLOB_ROOT = '/nonexistent/curio-edge-blobs';

export function createEdgeWorker(options: EdgeOptions = {}): EdgeWorker {
  const log = options.log ?? ((m: string) => console.log(`[curio-edge] ${m}`));

  /** Deps for one invocation: Workers keep no connection between requests, so one small pool each. */
  async function open(bindings: EdgeBindings): Promise<{ deps: AppDeps; db: CurioDb }> {
    const env = readApiEnv(variablesOf(bindings));
    const databaseUrl = bindings.HYPERDRIVE?.connectionString ?? env.DATABASE_URL;
    if (!databaseUrl)
      throw new Error('the edge API needs PostgreSQL: bind HYPERDRIVE or set DATABASE_URL');
    if (!env.CURIO_S3_BUCKET)
      throw new Error('the edge API keeps blobs in object storage: set CURIO_S3_BUCKET');
    if (!env.CURIO_PUBLIC_URL)
      throw new Error('the edge API needs CURIO_PUBLIC_URL (the URL workers reach it on)');
    const db = await openPostgres(databaseUrl, { max: 3, check: false });
    const dispatcher = options.dispatcher?.(env) ?? new IdleDispatcher();
    const deps: AppDeps = {
      ...settingsFromEnv(env),
      db,
      dispatcher,
      blobRoot: NO_BLOB_ROOT,
      publicUrl: env.CURIO_PUBLIC_URL,
      log,
    };
    return { deps, db };
  }

  async function tickOnce(bindings: EdgeBindings): Promise<TickReport> {
    const { deps, db } = await open(bindings);
    try {
      const ctx = resolveDeps(deps);
      // No process start to wait after: a cron tick judges silence at once.
      return await tick(ctx, { dispatch: createDispatchLoop(ctx), reaper: createReaper(ctx, 0) });
    } finally {
      await db.close();
    }
  }

  return {
    async fetch(request, bindings, context) {
      const { deps, db } = await open(bindings);
      const response = await createApp(deps).fetch(request, bindings, context as never);
      context.waitUntil(db.close());
      return response;
    },
    async scheduled(_event, bindings, context) {
      const done = tickOnce(bindings).then(
        (r) =>
          log(
            `tick: ${r.fired.length} fired, ${r.reaped.length} reaped, ${r.dispatched.length} dispatched`,
          ),
        (error: unknown) => log(`tick failed: ${(error as Error).message}`),
      );
      context.waitUntil(done);
      await done;
    },
    tick: tickOnce,
  };
}

/** The string bindings (variables and secrets); objects (Hyperdrive, buckets) are left out. */
function variablesOf(bindings: EdgeBindings): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(bindings))
    if (typeof value === 'string') out[name] = value;
  return out;
}

export default createEdgeWorker();

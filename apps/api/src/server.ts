// startApi: the API on Node with everything it needs, built from the environment: the store
// (PostgreSQL or embedded PGlite, migrated), the dispatcher, the background loops, an HTTP server.
// `index.ts` calls it; the CLI's `serve` and `demo` call it to run an embedded API.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, migrate, type CurioDb } from '@curio/db';
import {
  LocalDispatcher,
  ModalDispatcher,
  type Dispatcher,
  type SandboxOutput,
} from '@curio/dispatch';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { resolveDeps, type AppContext, type AppDeps } from './deps.js';
import type { ApiEnv } from './env.js';
import { settingsFromEnv } from './env-settings.js';
import { startBackground, type Background } from './services/background.js';
import { IdleDispatcher } from './services/idle-dispatcher.js';
import { handleWorkerExit, type WorkerExitInfo } from './services/worker-exit.js';
import { createOutputRecorder, type OutputRecorder } from './services/worker-output.js';
import { errorSummary } from './log.js';

export interface RunningApi {
  /** Where the API listens, e.g. http://127.0.0.1:8787. */
  url: string;
  /** Where the dashboard is (`<url>/`), when it is built and served. */
  dashboardUrl: string | undefined;
  db: CurioDb;
  dispatcher: Dispatcher;
  background: Background;
  /**
   * Stop serving and the background loops, close the store. Workers keep running unless
   * `stopWorkers` (they report to whichever API process serves the store next).
   */
  close(options?: { stopWorkers?: boolean }): Promise<void>;
}

export interface StartApiOptions {
  env: ApiEnv;
  /** Replaces the dispatcher CURIO_DISPATCHER names. */
  dispatcher?: Dispatcher;
  /** Overrides of the built deps (timing, limits, log…). */
  deps?: Partial<Omit<AppDeps, 'db' | 'dispatcher'>>;
}

export async function startApi({ env, ...options }: StartApiOptions): Promise<RunningApi> {
  const settings = settingsFromEnv(env);
  const pgliteDir = env.CURIO_PGLITE_DIR ?? join(env.CURIO_DATA_DIR, 'pglite');
  const webDist = dashboardFolder(env.CURIO_WEB_DIST);
  const db = await createDb({ databaseUrl: env.DATABASE_URL, pgliteDir });
  await migrate(db);

  const holder: { ctx?: AppContext; app?: ReturnType<typeof createApp> } = {};
  const dispatcher = options.dispatcher ?? makeDispatcher(env, workerHooks(holder));
  const { server, port } = await listen(env, (request, bindings) =>
    holder.app ? holder.app.fetch(request, bindings) : new Response('starting', { status: 503 }),
  );
  const url = `http://${env.CURIO_API_HOST}:${port}`;
  const deps: AppDeps = {
    ...settings,
    db,
    dispatcher,
    publicUrl: env.CURIO_PUBLIC_URL ?? url,
    blobRoot: env.CURIO_BLOB_DIR ?? join(env.CURIO_DATA_DIR, 'blobs'),
    // the database, logs, the CLI's saved key and local workers' logs; the blob root is added
    storeDirs: [
      pgliteDir,
      join(env.CURIO_DATA_DIR, 'logs'),
      join(env.CURIO_DATA_DIR, 'cli.json'),
      join(tmpdir(), 'curio-workers'),
    ],
    webDist,
    ...options.deps,
  };
  const ctx = resolveDeps(deps);
  holder.ctx = ctx;
  holder.app = createApp(deps);
  const background = startBackground(ctx, { jobs: env.CURIO_BACKGROUND });

  return {
    url,
    dashboardUrl: webDist ? `${url}/` : undefined,
    db,
    dispatcher,
    background,
    close: async ({ stopWorkers = false } = {}) => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      (server as import('node:http').Server).closeAllConnections(); // live streams too
      await closed;
      await background.stop();
      if (stopWorkers) await dispatcher.close();
      await db.close();
    },
  };
}

/** The built dashboard: CURIO_WEB_DIST (which must hold index.html), else apps/web/dist if built. */
function dashboardFolder(named: string | undefined): string | undefined {
  if (named !== undefined) {
    if (!existsSync(join(named, 'index.html')))
      throw new Error(
        `CURIO_WEB_DIST=${named} holds no index.html (build it: npm run build -w @curio/web)`,
      );
    return resolve(named);
  }
  const built = fileURLToPath(new URL('../../web/dist', import.meta.url));
  return existsSync(join(built, 'index.html')) ? built : undefined;
}

/** What a dispatcher tells the API about its workers, once the API's context exists. */
interface WorkerHooks {
  onExit(exit: WorkerExitInfo): void;
  onOutput(output: SandboxOutput): void;
}

function workerHooks(holder: { ctx?: AppContext }): WorkerHooks {
  let output: OutputRecorder | undefined;
  return {
    onExit(exit) {
      const { ctx } = holder;
      if (ctx)
        void handleWorkerExit(ctx, exit).catch((e: unknown) =>
          ctx.log(`worker exit: ${errorSummary(e)}`),
        );
    },
    onOutput(lines) {
      if (!holder.ctx) return;
      output ??= createOutputRecorder(holder.ctx);
      output.record(lines);
    },
  };
}

function makeDispatcher(env: ApiEnv, hooks: WorkerHooks): Dispatcher {
  switch (env.CURIO_DISPATCHER) {
    case 'none':
      return new IdleDispatcher();
    case 'modal':
      if (!env.CURIO_MODAL_IMAGE)
        throw new Error('CURIO_DISPATCHER=modal needs CURIO_MODAL_IMAGE (the worker image)');
      return new ModalDispatcher({
        capacity: env.CURIO_MAX_WORKERS,
        image: env.CURIO_MODAL_IMAGE,
        onOutput: hooks.onOutput,
        onExit: (exit) => hooks.onExit({ ...exit, signal: null }),
      });
    case 'local':
      return new LocalDispatcher({ capacity: env.CURIO_MAX_WORKERS, onExit: hooks.onExit });
  }
}

function listen(
  env: ApiEnv,
  fetch: (request: Request, bindings: object) => Response | Promise<Response>,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((ok, fail) => {
    const server = serve(
      { fetch, hostname: env.CURIO_API_HOST, port: env.CURIO_API_PORT },
      (info) => ok({ server, port: info.port }),
    );
    server.once('error', fail);
  });
}

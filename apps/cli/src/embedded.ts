// The embedded API for `serve` and `demo`: the real API (`startApi` of @curio/api) in this
// process, on the embedded defaults: PGlite under the data folder, the local dispatcher, no
// DATABASE_URL needed. A fresh admin token is made for each start unless one is configured, so
// the CLI can always make a team for itself on a store it opens.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { readApiEnv } from '@curio/api/env';
import { startApi, type RunningApi } from '@curio/api/server';
import { embeddedApiSource, type CliEnv } from './env.js';
import { CliError, EXIT } from './errors.js';

export interface EmbeddedApi {
  url: string;
  dataDir: string;
  adminToken: string;
  running: RunningApi;
  /** The log file of a run's current local worker, while it has one. */
  workerLog(runId: string): string | undefined;
  /** Stops serving; `stopWorkers` also stops the local workers (else they finish on their own). */
  close(options?: { stopWorkers?: boolean }): Promise<void>;
}

export interface EmbeddedOptions {
  /** Port to listen on; default CURIO_API_PORT or 8787. `fallback`: another free port if taken. */
  port?: number | undefined;
  host?: string | undefined;
  portFallback?: boolean;
  /** Where the API's own log lines go: a function, or a file. Default: the console. */
  log?: ((line: string) => void) | { file: string };
}

export async function startEmbedded(env: CliEnv, o: EmbeddedOptions = {}): Promise<EmbeddedApi> {
  const dataDir = resolve(env.CURIO_DATA_DIR);
  const adminToken = randomBytes(24).toString('base64url');
  const apiEnv = readApiEnv(
    embeddedApiSource(
      { CURIO_ADMIN_TOKEN: adminToken },
      {
        CURIO_DATA_DIR: dataDir,
        ...(o.port !== undefined && { CURIO_API_PORT: String(o.port) }),
        ...(o.host !== undefined && { CURIO_API_HOST: o.host }),
      },
    ),
  );
  if (apiEnv.DATABASE_URL === undefined) mkdirSync(dataDir, { recursive: true });
  let port = apiEnv.CURIO_API_PORT;
  if (!(await portFree(apiEnv.CURIO_API_HOST, port))) {
    if (!o.portFallback)
      throw new CliError(
        `port ${port} on ${apiEnv.CURIO_API_HOST} is in use (another \`curio serve\`?): pass --port, or set CURIO_API_URL to use the API already there`,
        EXIT.usage,
      );
    port = 0;
  }
  const log = o.log;
  const logLine =
    log === undefined
      ? undefined
      : typeof log === 'function'
        ? log
        : (line: string) => appendFileSync(log.file, `${new Date().toISOString()} ${line}\n`);
  if (log && typeof log !== 'function') mkdirSync(join(log.file, '..'), { recursive: true });
  const running = await startApi({
    env: { ...apiEnv, CURIO_API_PORT: port },
    ...(logLine && { deps: { log: logLine } }),
  });
  const dispatcher = running.dispatcher as { logFile?: (runId: string) => string | undefined };
  return {
    url: running.url,
    dataDir,
    adminToken: apiEnv.CURIO_ADMIN_TOKEN ?? adminToken,
    running,
    workerLog: (runId) => dispatcher.logFile?.(runId),
    close: (options) => running.close(options),
  };
}

function portFree(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => done(true)));
  });
}

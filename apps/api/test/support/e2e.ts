// One end-to-end setup: the API served on a port with a real LocalDispatcher that starts the
// trainer in worker mode (`curio-train worker`), a team, and the tiny synthetic catalog.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '@curio/blob-store';
import type { ExperimentConfigInput } from '@curio/contracts';
import type { CurioDb } from '@curio/db';
import { LocalDispatcher } from '@curio/dispatch';
import type { Timing } from '../../src/deps.js';
import { bootstrapTeam } from './api.js';
import { serveTestApi, waitFor, type ServedApi } from './server.js';
import { syntheticCatalog } from './synthetic.js';

/**
 * Short intervals: heartbeats every second, a worker silent for 20 s is lost. Not less: a worker's
 * heartbeat waits while a training step, an evaluation or one chunk of a curation round computes,
 * and with the suite's two database passes and two workspaces sharing 2 cores a whole curation
 * round once took 10 s (before it gave the event loop a turn per chunk, 6 s reaped a live worker).
 */
export const E2E_TIMING: Partial<Timing> = {
  heartbeatSeconds: 1,
  staleAfterMs: 20_000,
  reapIntervalMs: 500,
  dispatchIntervalMs: 200,
  scheduleIntervalMs: 60_000,
  streamPollMs: 200,
  tokenGraceMs: 60_000,
};

/**
 * A test that trains through workers: its own waits allow up to 180 s for a run, which a worker
 * lost and reaped after 20 s of silence can need on a loaded 2-core machine.
 */
export const E2E_TEST_TIMEOUT = 240_000;

export interface E2E {
  api: ServedApi;
  dispatcher: LocalDispatcher;
  key: string;
  experimentId: string;
  logDir: string;
  /** Worker pids by run and attempt, from the dispatch loop's log. */
  workerPid(runId: string, attempt: number): number | undefined;
  /** Every worker's log, for a failing test's message. */
  workerLogs(): Promise<string>;
  run(json?: Record<string, unknown>): Promise<{ id: string }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  show(runId: string): Promise<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  waitForStatus(runId: string, statuses: string[], timeoutMs?: number): Promise<any>;
}

export async function startE2E(
  db: CurioDb,
  dataDir: string,
  o: {
    config?: Partial<ExperimentConfigInput>;
    port?: number;
    blobRoot?: string;
    blobStore?: BlobStore;
    logDir?: string;
  } = {},
): Promise<E2E> {
  const logDir = o.logDir ?? (await mkdtemp(join(tmpdir(), 'curio-e2e-workers-')));
  const pids = new Map<string, number>();
  const log = (m: string) => {
    const started = /^run (\S+) attempt (\d+): worker (\d+) started/.exec(m);
    if (started) pids.set(`${started[1]}#${started[2]}`, Number(started[3]));
  };
  const dispatcher = new LocalDispatcher({
    capacity: 1,
    logDir,
    killAfterMs: 5_000,
    env: { CURIO_API_RETRY_SECONDS: '120' },
  });
  const api = await serveTestApi(db, {
    dispatcher,
    timing: E2E_TIMING,
    log,
    ...(o.port !== undefined && { port: o.port }),
    ...(o.blobRoot !== undefined && { blobRoot: o.blobRoot }),
    ...(o.blobStore !== undefined && { blobStore: o.blobStore }),
  });
  const { key } = await bootstrapTeam(api, 'E2E');
  const cat = await syntheticCatalog(api, key, dataDir, o.config);
  const show = (runId: string) => api.json('GET', `/v1/runs/${runId}`, 200, { key });
  return {
    api,
    dispatcher,
    key,
    experimentId: cat.experimentId,
    logDir,
    workerPid: (runId, attempt) => pids.get(`${runId}#${attempt}`),
    async workerLogs() {
      const files = (await readdir(logDir).catch(() => [])).sort();
      const parts = await Promise.all(
        files.map(async (f) => `── ${f}\n${await readFile(join(logDir, f), 'utf8')}`),
      );
      return parts.join('\n');
    },
    run: (json = {}) =>
      api.json('POST', '/v1/runs', 201, { key, json: { experimentId: cat.experimentId, ...json } }),
    show,
    waitForStatus: (runId, statuses, timeoutMs = 150_000) =>
      waitFor(
        `run ${runId} to be ${statuses.join(' or ')}`,
        async () => {
          const run = await show(runId);
          return statuses.includes(run.status) ? run : undefined;
        },
        timeoutMs,
      ),
  };
}

/** Run `body`; when it throws, add the workers' logs to the error. */
export async function withWorkerLogs(
  e2e: () => E2E | undefined,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    const logs = (await e2e()?.workerLogs()) ?? '';
    (error as Error).message += `\n\nworker logs:\n${logs.slice(-8000)}`;
    throw error;
  }
}

// Worker mode: one run attempt for the platform, start to finish, over HTTP only. Fetch the
// assignment, resolve its spec, say started, run the same job as standalone mode with an HTTP
// BlobStore and the API reporter, and report how it ended (a job that throws is reported failed).
// Everything the job reads is checked again against the run's team's grants (the assignment's
// `dataAccess`, applied by @curio/webdataset): the worker reads only what that team may read.
import { rm } from 'node:fs/promises';
import type { BlobStore } from '../checkpoint/blob-store.js';
import { resolveConfig } from '../config.js';
import { withDataAccess } from '@curio/webdataset';
import { runJob } from '../loop/job.js';
import type { ForwardGflops, WorkerAssignment } from '@curio/contracts';
import { ModelConfig, towerForwardGflops } from '../model/index.js';
import { WorkerApiClient, type WorkerApi } from './api-client.js';
import { ApiReporter, type WorkerOutcome } from './api-reporter.js';
import { HttpBlobStore, HttpInitSource } from './http-blob-store.js';
import { describe, type RetryPolicy } from './retry.js';
import { createWorkDir, removeStaleWorkDirs } from './work-dir.js';

export interface WorkerOptions {
  apiUrl: string;
  runId: string;
  token: string;
  /** The tfjs backend in use (already started). */
  backend: string;
  /** The device kind to report: `cpu` unless a GPU backend is in use. */
  device: string;
  /** Relative paths in the spec resolve against this folder. Default: the working directory. */
  baseDir?: string;
  retry?: Partial<RetryPolicy>;
  /** How often buffered metrics and events are sent (ms). */
  flushMs?: number;
  /** The signal this process was asked to stop with, if any. */
  terminated?: () => string | undefined;
  log?: (line: string) => void;
  /** When this attempt's process started (ms since the epoch): device time counts from here. */
  startedAt?: number;
  /** For tests: the API client. */
  api?: WorkerApi;
}

export async function runWorker(o: WorkerOptions): Promise<WorkerOutcome> {
  const log = o.log ?? ((line: string) => console.log(line));
  const started = o.startedAt ?? Date.now();
  const deviceSeconds = () => (Date.now() - started) / 1000;
  const api =
    o.api ??
    new WorkerApiClient({
      apiUrl: o.apiUrl,
      runId: o.runId,
      token: o.token,
      log,
      ...(o.retry ? { retry: o.retry } : {}),
    });

  const assignment = await api.assignment();
  if (assignment.runId !== o.runId)
    throw new Error(`the API assigned run ${assignment.runId} to the worker for run ${o.runId}`);
  log(
    `run ${o.runId}, attempt ${assignment.attempt}${assignment.resumeFrom ? `, resuming from ${assignment.resumeFrom}` : ''}`,
  );

  for (const dir of await removeStaleWorkDirs()) log(`removed a killed worker's folder ${dir}`);
  const workDir = await createWorkDir(o.runId);
  try {
    return await withDataAccess(assignment.dataAccess, () =>
      runAssignment(o, api, assignment, workDir, { log, started, deviceSeconds }),
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The attempt itself, inside the team's data access. */
async function runAssignment(
  o: WorkerOptions,
  api: WorkerApi,
  assignment: WorkerAssignment,
  workDir: string,
  clock: { log: (line: string) => void; started: number; deviceSeconds: () => number },
): Promise<WorkerOutcome> {
  const { log, started, deviceSeconds } = clock;
  let config;
  try {
    config = await resolveConfig(assignment.spec, {
      outDir: workDir,
      baseDir: o.baseDir ?? process.cwd(),
    });
  } catch (err) {
    const error = describe(err);
    log(`cannot start the job: ${error}`);
    await api.finished({ status: 'failed', error, deviceSeconds: deviceSeconds() });
    return { status: 'failed', error };
  }
  await api.started({ attempt: assignment.attempt, backend: o.backend, device: o.device });

  const reporter = new ApiReporter({
    api,
    attempt: assignment.attempt,
    heartbeatSeconds: assignment.heartbeatSeconds,
    startedAt: started,
    architecture: (key) => checkpointArchitecture(store, key),
    echo: log,
    ...(o.flushMs !== undefined ? { flushMs: o.flushMs } : {}),
    ...(o.retry?.maxWaitMs !== undefined ? { lostContactMs: o.retry.maxWaitMs } : {}),
    ...(o.terminated ? { terminated: o.terminated } : {}),
  });
  const store: BlobStore = new HttpBlobStore(api, {
    discardWrites: () => reporter.droppedReason() !== undefined,
  });
  try {
    await runJob({
      config,
      store,
      reporter,
      backend: o.backend,
      initSource: new HttpInitSource(api),
      ...(assignment.resumeFrom ? { resumeFrom: assignment.resumeFrom } : {}),
    });
  } catch (err) {
    if (reporter.outcome) throw err; // finished() itself failed: the API could not be told
    log(`job failed: ${describe(err)}`);
    await reporter.fail(err);
  } finally {
    await reporter.close();
  }
  return reporter.outcome ?? { status: 'failed', error: 'the job ended without a final report' };
}

/** The architecture a checkpoint was saved with, from its state.json (preset and model config). */
async function checkpointArchitecture(
  store: BlobStore,
  key: string,
): Promise<Record<string, unknown>> {
  const state = JSON.parse(new TextDecoder().decode(await store.get(`${key}/state.json`))) as {
    spec?: { model?: { preset?: string } };
    modelConfig?: Record<string, unknown>;
    forwardGflops?: ForwardGflops;
  };
  const config = ModelConfig.safeParse(state.modelConfig);
  const forwardGflops =
    state.forwardGflops ?? (config.success ? towerForwardGflops(config.data) : undefined);
  return { preset: state.spec?.model?.preset, ...state.modelConfig, forwardGflops };
}

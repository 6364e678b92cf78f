// `curio-train worker`: flags and environment to runWorker, signals to a graceful stop, the
// outcome to an exit code.
import { Command } from 'commander';
import { positiveNumber } from '../cli/options.js';
import type { StartBackend } from '../cli/program.js';
import { readEnv } from '../env.js';
import { describe } from './retry.js';
import { runWorker } from './worker.js';

interface WorkerOptions {
  api?: string;
  run?: string;
  token?: string;
  baseDir?: string;
  retrySeconds?: number;
}

/** The device kind to report: the dispatched GPU kind when a GPU backend runs, else `cpu`. */
export function deviceKind(backend: string, dispatched: string | undefined): string {
  if (backend !== 'tfjs-node-gpu') return 'cpu';
  return dispatched && dispatched !== 'cpu' ? dispatched : 'gpu';
}

export function workerCommand(startBackend: StartBackend): Command {
  return (
    new Command('worker')
      .description(
        'serve one run attempt for the Curio API (CURIO_API_URL, CURIO_RUN_ID, CURIO_RUN_TOKEN; flags override)',
      )
      .option('--api <url>', 'the API URL (CURIO_API_URL)')
      .option('--run <id>', 'the run id (CURIO_RUN_ID)')
      .option('--token <token>', 'the run-scoped token (CURIO_RUN_TOKEN)')
      .option('--base-dir <dir>', "what the spec's relative paths are relative to")
      .option(
        '--retry-seconds <n>',
        'how long to retry the API before giving up (CURIO_API_RETRY_SECONDS, default 600)',
        positiveNumber,
      )
      // Exit explicitly: a worker that lingers would hold its dispatcher's slot.
      .action(async (options: WorkerOptions, command: Command) =>
        process.exit(await runWorkerCommand(options, startBackend, command)),
      )
  );
}

/** Runs the worker; resolves to the process exit code. */
async function runWorkerCommand(
  values: WorkerOptions,
  startBackend: StartBackend,
  command: Command,
): Promise<number> {
  const startedAt = Date.now();
  const env = readEnv();
  const apiUrl = values.api ?? env.CURIO_API_URL;
  const runId = values.run ?? env.CURIO_RUN_ID;
  const token = values.token ?? env.CURIO_RUN_TOKEN;
  const missing = [
    !apiUrl && '--api / CURIO_API_URL',
    !runId && '--run / CURIO_RUN_ID',
    !token && '--token / CURIO_RUN_TOKEN',
  ].filter(Boolean);
  if (!apiUrl || !runId || !token) command.error(`error: worker mode needs ${missing.join(', ')}`);
  if (!/^https?:\/\/[^/]/.test(apiUrl))
    throw new Error(`the API URL must be http(s)://…, got ${apiUrl}`);
  const retrySeconds = values.retrySeconds ?? env.CURIO_API_RETRY_SECONDS;

  let terminated: string | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      terminated = signal;
      console.log(`${signal}: stopping after this step (again to quit now)`);
      process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }

  console.log(`worker for run ${runId} at ${apiUrl}`);
  const backend = await startBackend();
  try {
    const outcome = await runWorker({
      apiUrl,
      runId,
      token,
      backend: backend.name,
      device: deviceKind(backend.name, env.CURIO_DEVICE),
      ...(values.baseDir ? { baseDir: values.baseDir } : {}),
      ...(retrySeconds !== undefined ? { retry: { maxWaitMs: retrySeconds * 1000 } } : {}),
      terminated: () => terminated,
      startedAt,
    });
    if (outcome.status === 'failed')
      console.error(`curio-train worker: run ${runId} failed: ${outcome.error}`);
    if (outcome.status === 'dropped') console.log(`curio-train worker: ${outcome.reason}`);
    return outcome.status === 'failed' ? 1 : 0;
  } catch (err) {
    console.error(`curio-train worker: ${describe(err)}`);
    return 1;
  }
}

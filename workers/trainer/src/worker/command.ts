// `curio-train worker`: flags and environment to runWorker, signals to a graceful stop, the
// outcome to an exit code.
import { parseArgs } from 'node:util';
import { readEnv } from '../env.js';
import { describe } from './retry.js';
import { runWorker } from './worker.js';

export const WORKER_USAGE = `  curio-train worker [--api URL] [--run ID] [--token TOKEN] [--base-dir DIR] [--retry-seconds N]
      serve one run attempt for the Curio API (CURIO_API_URL, CURIO_RUN_ID, CURIO_RUN_TOKEN; flags override)`;

/** The device kind to report: the dispatched GPU kind when a GPU backend runs, else `cpu`. */
export function deviceKind(backend: string, dispatched: string | undefined): string {
  if (backend !== 'tfjs-node-gpu') return 'cpu';
  return dispatched && dispatched !== 'cpu' ? dispatched : 'gpu';
}

/** Runs the worker; resolves to the process exit code. */
export async function runWorkerCommand(
  argv: string[],
  startBackend: () => Promise<{ name: string }>,
): Promise<number> {
  const startedAt = Date.now();
  const { values } = parseArgs({
    args: argv,
    options: {
      api: { type: 'string' },
      run: { type: 'string' },
      token: { type: 'string' },
      'base-dir': { type: 'string' },
      'retry-seconds': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`usage:\n${WORKER_USAGE}`);
    return 0;
  }
  const env = readEnv();
  const apiUrl = values.api ?? env.CURIO_API_URL;
  const runId = values.run ?? env.CURIO_RUN_ID;
  const token = values.token ?? env.CURIO_RUN_TOKEN;
  const missing = [
    !apiUrl && '--api / CURIO_API_URL',
    !runId && '--run / CURIO_RUN_ID',
    !token && '--token / CURIO_RUN_TOKEN',
  ].filter(Boolean);
  if (!apiUrl || !runId || !token)
    throw new Error(`worker mode needs ${missing.join(', ')}\nusage:\n${WORKER_USAGE}`);
  if (!/^https?:\/\/[^/]/.test(apiUrl))
    throw new Error(`the API URL must be http(s)://…, got ${apiUrl}`);
  const retrySeconds =
    values['retry-seconds'] !== undefined
      ? Number(values['retry-seconds'])
      : env.CURIO_API_RETRY_SECONDS;
  if (retrySeconds !== undefined && !(retrySeconds > 0))
    throw new Error(`--retry-seconds must be a positive number, got ${values['retry-seconds']}`);

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
      ...(values['base-dir'] ? { baseDir: values['base-dir'] } : {}),
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

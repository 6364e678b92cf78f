// Waiting on a run: follow it live, then print how it ended and its results table. Ctrl-C stops
// following (the run goes on). Used by `runs wait`, `runs start --wait` and `demo`.
import type { Run, RunDetail } from '@curio/contracts';
import type { Api, Io } from './context.js';
import { CliError, EXIT } from './errors.js';
import { followRun } from './follow.js';
import { printJson } from './output.js';
import { outcomeLine, printResults } from './results.js';

export interface WaitOptions {
  json?: boolean;
  verbose?: boolean;
  onStatus?: (run: Run) => void;
  /** What Ctrl-C does; default: stop following and say how to go on. */
  onInterrupt?: () => void;
}

export interface WaitResult {
  run: RunDetail;
  exitCode: number;
}

/** Exit code of a final run: 0 succeeded, 1 failed, 4 canceled. */
export function exitCodeOf(run: Run): number {
  if (run.status === 'succeeded') return 0;
  return run.status === 'canceled' ? EXIT.canceled : EXIT.failed;
}

export async function waitForRun(
  api: Api,
  io: Io,
  runId: string,
  o: WaitOptions = {},
): Promise<WaitResult> {
  const stop = new AbortController();
  const interrupt = () => {
    if (o.onInterrupt) return o.onInterrupt();
    stop.abort();
  };
  process.once('SIGINT', interrupt);
  let run: RunDetail;
  try {
    run = await followRun({
      client: api.client,
      conn: api.conn,
      runId,
      out: io.out,
      live: io.live,
      signal: stop.signal,
      ...(o.verbose !== undefined && { verbose: o.verbose }),
      ...(o.onStatus && { onStatus: o.onStatus }),
    });
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.canceled && stop.signal.aborted)
      throw new CliError(
        `stopped following run ${runId}; it goes on: \`curio runs wait ${runId}\` follows it again, \`curio runs cancel ${runId}\` stops it`,
        130,
      );
    throw error;
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
  if (o.json) printJson(io.out, run);
  else reportRun(io, run);
  return { run, exitCode: exitCodeOf(run) };
}

/** How the run ended, then its results table. */
export function reportRun(io: Io, run: RunDetail): void {
  io.out.log('');
  io.out.log(outcomeLine(run));
  io.out.log('');
  printResults(io.out, run, run.evaluations);
}

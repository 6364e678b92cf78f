// A Modal sandbox's stdout and stderr as its run's log: each batch of lines the dispatcher reads
// becomes `log` events (data.kind `output`, the stream and the attempt), appended in order per
// run, so `GET /v1/runs/{id}/events?type=log` and `curio runs logs` show what the worker printed,
// including what it printed before it could reach the API (a CUDA library that fails to load).
import type { SandboxOutput } from '@curio/dispatch';
import { appendEvents, isRunLifecycleError } from '@curio/runs';
import type { AppContext } from '../deps.js';
import { errorSummary } from '../log.js';

export interface OutputRecorder {
  /** Queues the lines for the run's log (never throws; a failed append is logged). */
  record(output: SandboxOutput): void;
  /** Resolves when everything queued so far is stored. */
  flushed(): Promise<void>;
}

export function createOutputRecorder(ctx: Pick<AppContext, 'db' | 'log'>): OutputRecorder {
  const queues = new Map<string, Promise<void>>();

  async function store(o: SandboxOutput): Promise<void> {
    const data = { kind: 'output', stream: o.stream, attempt: o.attempt, workerId: o.workerId };
    try {
      await appendEvents(
        ctx.db,
        o.runId,
        o.lines.map((message) => ({ type: 'log' as const, message, data })),
      );
    } catch (error) {
      const why = isRunLifecycleError(error, 'not_found') ? 'no such run' : errorSummary(error);
      ctx.log(`run ${o.runId}: ${o.lines.length} line(s) of worker ${o.stream} lost: ${why}`);
    }
  }

  return {
    record(output) {
      if (output.lines.length === 0) return;
      const queued = (queues.get(output.runId) ?? Promise.resolve()).then(() => store(output));
      queues.set(output.runId, queued);
      void queued.then(() => {
        if (queues.get(output.runId) === queued) queues.delete(output.runId);
      });
    },
    async flushed() {
      while (queues.size) await Promise.all([...queues.values()]);
    },
  };
}

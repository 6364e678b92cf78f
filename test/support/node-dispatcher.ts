// The Node API as the cloud's dispatcher (`npm start -w @curio/api` with CURIO_BACKGROUND=dispatch):
// a child process in its own process group that takes queued runs from the shared PostgreSQL and
// starts their workers, while the edge's cron tick does the reaping and the schedules. Its log
// names each worker it starts, so a test can kill that worker as a lost machine would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const API_MAIN = fileURLToPath(new URL('../../apps/api/src/index.ts', import.meta.url));

export interface NodeDispatcher {
  /** The API's own URL (it serves too: eval sets on its disk are registered through it). */
  url: string;
  /** The pid of the next worker it starts (waits for its log line). */
  nextWorkerPid(timeoutMs: number): Promise<number>;
  /** SIGKILL the process group, as a lost machine. */
  kill(): void;
}

export async function startNodeDispatcher(env: Record<string, string>): Promise<NodeDispatcher> {
  const child = spawn(process.execPath, [TSX, API_MAIN], {
    env: { ...process.env, CURIO_API_PORT: '0', CURIO_BACKGROUND: 'dispatch', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    log += chunk.toString();
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  /** The first match of `pattern` in the log after `from`, once it appears. */
  const awaitLine = (pattern: RegExp, from: number, timeoutMs: number) =>
    new Promise<{ match: RegExpExecArray; end: number }>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(log.slice(from));
        if (match) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve({ match, end: from + match.index + match[0].length });
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the Node dispatcher did not log ${pattern} in time:\n${log}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  const listening = await awaitLine(/Curio API listening on (\S+)/, 0, 60_000);
  let seen = listening.end;
  return {
    url: listening.match[1]!,
    async nextWorkerPid(timeoutMs) {
      const started = await awaitLine(/worker (\d+) started \(local\)/, seen, timeoutMs);
      seen = started.end;
      return Number(started.match[1]);
    },
    kill() {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    },
  };
}

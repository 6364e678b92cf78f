// The default dispatcher: one trainer child process per run attempt on this machine, at most
// `capacity` at once. Each child runs in its own process group (so a stop reaches everything it
// started) and writes stdout and stderr to a per-run log file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DispatchHandle, DispatchRequest, Dispatcher } from './dispatcher.js';
import { inheritedWorkerEnv } from './env.js';
import { trainerBinPath } from './trainer-bin.js';

export interface WorkerExit {
  runId: string;
  attempt: number;
  workerId: string;
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  logFile: string;
}

export interface LocalDispatcherOptions {
  /** Max workers at once. */
  capacity: number;
  /** argv of the worker; default `[node, <@curio/trainer bin>/curio-train.js, 'worker']`. */
  command?: string[];
  /** Working directory of workers (relative paths in run specs resolve against it); default this process's. */
  cwd?: string;
  /** Folder for per-run log files; default `<tmpdir>/curio-workers`. */
  logDir?: string;
  /** Extra environment for workers (e.g. CURIO_TF_BACKEND), on top of this process's minus its secrets. */
  env?: Record<string, string>;
  /** How long `terminate` waits after SIGTERM before SIGKILL. Default 10 s. */
  killAfterMs?: number;
  /** Told when a worker process exits, however it ended. */
  onExit?: (exit: WorkerExit) => void;
}

interface Worker {
  req: DispatchRequest;
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
}

export class LocalDispatcher implements Dispatcher {
  readonly kind = 'local' as const;
  readonly capacity: number;
  private readonly workers = new Map<string, Worker>();
  private readonly command: string[];
  private readonly logDir: string;

  constructor(private readonly o: LocalDispatcherOptions) {
    if (!Number.isInteger(o.capacity) || o.capacity < 1)
      throw new Error(`capacity must be a positive integer, got ${o.capacity}`);
    this.capacity = o.capacity;
    this.command = o.command ?? [process.execPath, trainerBinPath(), 'worker'];
    if (this.command.length === 0) throw new Error('command must not be empty');
    this.logDir = resolve(o.logDir ?? join(tmpdir(), 'curio-workers'));
  }

  active(): number {
    return this.workers.size;
  }

  /** The log file of a run's current worker, if it has one. */
  logFile(runId: string): string | undefined {
    return this.workers.get(runId)?.logFile;
  }

  async dispatch(req: DispatchRequest): Promise<DispatchHandle> {
    if (this.workers.has(req.runId))
      throw new Error(
        `run ${req.runId} already has a worker (pid ${this.workers.get(req.runId)?.child.pid})`,
      );
    if (this.workers.size >= this.capacity)
      throw new Error(`local dispatcher is at capacity (${this.capacity} worker(s) running)`);
    mkdirSync(this.logDir, { recursive: true });
    const logFile = join(this.logDir, `${safeName(req.runId)}.attempt-${req.attempt}.log`);
    const fd = openSync(logFile, 'a');
    const [file, ...args] = this.command as [string, ...string[]];
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: this.o.cwd ?? process.cwd(),
        env: {
          ...inheritedWorkerEnv(),
          ...this.o.env,
          CURIO_API_URL: req.apiUrl,
          CURIO_RUN_ID: req.runId,
          CURIO_RUN_TOKEN: req.token,
          CURIO_DEVICE: req.device,
        },
        stdio: ['ignore', fd, fd],
        detached: true, // its own process group, so terminate() reaches its children too
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
    // Hold the slot from here, so concurrent dispatches cannot pass the capacity check together.
    const exited = new Promise<void>((done) => {
      child.once('exit', (code, signal) => {
        this.workers.delete(req.runId);
        this.o.onExit?.({
          runId: req.runId,
          attempt: req.attempt,
          workerId: String(child.pid),
          code,
          signal,
          logFile,
        });
        done();
      });
    });
    this.workers.set(req.runId, { req, child, logFile, exited });
    try {
      await new Promise<void>((ok, fail) => {
        child.once('spawn', ok);
        child.once('error', fail);
      });
    } catch (err) {
      this.workers.delete(req.runId);
      throw new Error(
        `cannot start worker for run ${req.runId} (${file}): ${(err as Error).message}`,
      );
    }
    const pid = child.pid as number;
    child.unref(); // a running worker does not keep the API process alive
    return { workerId: String(pid) };
  }

  async terminate(runId: string): Promise<void> {
    const w = this.workers.get(runId);
    if (!w) return;
    const pid = w.child.pid as number;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.o.killAfterMs ?? 10_000);
    await w.exited;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((runId) => this.terminate(runId)));
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal); // no group (already gone, or not a leader): the process itself
    } catch {
      /* already exited */
    }
  }
}

function safeName(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]/g, '_');
}
